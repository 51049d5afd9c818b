import { EXIT, WxoError } from '../errors.js';
import { revParse } from '../git/queries.js';
import { findRepo } from '../git/resolveRepo.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { palette, type Palette } from '../report/colors.js';
import { messages } from '../messages.js';
import type { Policy } from '../policy/model.js';
import { runDeploy } from './deploy.js';
import { formatPlanSummary } from './format.js';
import { preparePlan } from './prepare.js';
import { resolveTarget, type KnownHead } from './target.js';

/**
 * What the git hooks (post-merge, post-commit of a revert) use: a short plan for the branch's
 * environment, and a deploy that runs only where deploying is enabled — the Jenkins deploy agent
 * (`WXO_POLICY_DEPLOY=1`) or a policy with `deploy.from_hooks: true` — never by surprise on a laptop.
 */
export interface PlanSummaryOptions {
  /** Environment name; default: from the checked-out branch (or BRANCH_NAME in Jenkins). */
  env?: string;
  /** Head revision; default HEAD. */
  to?: string;
  vars?: NodeJS.ProcessEnv;
  /** How many operations to list (default 5). */
  maxOperations?: number;
  /** What the calling hook already knows (repository, HEAD, its policy, the branch): not asked again. */
  known?: KnownHead;
}

/**
 * A few lines: environment, base tag, counts and the first operations. Throws a WxoError (exit
 * code 2 material) when the branch is no environment branch or the plan cannot be computed; a
 * hook that only informs should catch it and stay quiet.
 */
export async function planSummary(root: string, options: PlanSummaryOptions = {}): Promise<string> {
  const target = await resolveTarget(
    root,
    { ...(options.env ? { env: options.env } : {}), ...(options.to ? { to: options.to } : {}), fetchTags: false },
    options.vars ?? process.env,
    options.known,
  );
  const prepared = await preparePlan(target);
  return formatPlanSummary(prepared, options.maxOperations ?? 5, target.policy.deploy.orchestrate);
}

export function deployEnabled(policy: Policy, vars: NodeJS.ProcessEnv): boolean {
  return policy.deploy.from_hooks || vars.WXO_POLICY_DEPLOY === '1';
}

export interface HookDeployOptions {
  vars?: NodeJS.ProcessEnv;
  out?(text: string): void;
  err?(text: string): void;
  colors?: Palette;
  pushTags?: boolean;
  /** HEAD and its policy, when the calling hook has them. */
  known?: Pick<KnownHead, 'head' | 'policy'>;
}

export interface HookDeployResult {
  deployed: boolean;
  /** The deploy's exit code (0 when it was not enabled, 2 for configuration problems). */
  exitCode: number;
  /** Why it did not run, for the hook to print. */
  message?: string;
}

/** Deploys HEAD's environment when deploying from hooks is enabled; otherwise says how to. */
export async function deployFromHook(root: string, options: HookDeployOptions = {}): Promise<HookDeployResult> {
  const vars = options.vars ?? process.env;
  const head = options.known?.head ?? revParse(root, 'HEAD');
  if (!head) return { deployed: false, exitCode: EXIT.ok, message: messages.deploy.noCommits };
  let policy = options.known?.policy;
  if (!policy) {
    const cacheDir = findRepo(root)?.commonDir;
    policy = await loadPolicyAt(root, { type: 'commit', rev: head }, cacheDir ? { cacheDir } : {});
  }
  if (!deployEnabled(policy, vars)) return { deployed: false, exitCode: EXIT.ok, message: messages.deploy.hookDeployDisabled };
  try {
    const exitCode = await runDeploy(root, {
      vars,
      out: options.out ?? ((t) => process.stdout.write(`${t}\n`)),
      err: options.err ?? ((t) => process.stderr.write(`${t}\n`)),
      colors: options.colors ?? palette(false),
      ...(options.pushTags ? { pushTags: true } : {}),
    });
    return { deployed: exitCode === EXIT.ok, exitCode };
  } catch (e) {
    // Configuration and environment problems (missing secrets, lock held …) come back as a result.
    if (e instanceof WxoError) return { deployed: false, exitCode: e.exitCode, message: e.hint ? `${e.message}\n${e.hint}` : e.message };
    throw e;
  }
}
