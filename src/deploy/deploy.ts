import { hostname } from 'node:os';
import { ConfigError, EXIT } from '../errors.js';
import { git } from '../git/git.js';
import { messages } from '../messages.js';
import type { Palette } from '../report/colors.js';
import { TOOL_VERSION } from '../version.js';
import { describeOperation, formatPlanText, headerLines } from './format.js';
import { acquireLock, DEPLOY_NONCE_VARIABLE, processAlive, type Lock } from './lock.js';
import { displayArgv, maskedArgv, resolveArgv, type Arg } from './plan.js';
import { authCalls, cpdLoginMissing, preparePlan, type PreparedPlan } from './prepare.js';
import { createWorkspace, removeDeadWorkspaces, renderUnitFiles, type Workspace } from './render.js';
import {
  callOrchestrate,
  envListed,
  envListedUrl,
  killActiveChildren,
  resolveBinary,
  storedEnvironment,
  type CallResult,
} from './runner.js';
import { Masker, resolveSecrets } from './secrets.js';
import { createTag, nextTagName, pushTag } from './tags.js';
import { deployVersion, resolveTarget } from './target.js';
import { deployEvents } from '../live/deployEvents.js';
import { ReadError } from '../live/read.js';
import { verifyDeploy } from '../live/verify.js';

/**
 * `deploy`: execute the plan. Before the first call: the tenant binding is verified, the lock
 * taken, every secret resolved (all missing ones reported at once, nothing called then), and the
 * files rendered into a private directory. Then authentication and the operations, one at a time,
 * stopping at the first failure. Success is recorded as an annotated tag; a failure leaves no
 * tag, so the next run plans again from the last one.
 */
export interface DeployOptions {
  env?: string;
  from?: string;
  dryRun?: boolean;
  pushTags?: boolean;
  /** Import everything at head again (see PrepareOptions.full). */
  full?: boolean;
  /** Read the tenant after the operations and compare (default true; `--no-verify-live`). */
  verifyLive?: boolean;
  /** Push the deploy's result to this Prometheus Pushgateway. */
  pushMetrics?: string;
  remote?: string;
  vars: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  colors: Palette;
}

export async function runDeploy(cwd: string, options: DeployOptions): Promise<number> {
  const { out, err, colors: c, vars } = options;
  const remote = options.remote ?? 'origin';
  const target = await resolveTarget(
    cwd,
    { ...(options.env ? { env: options.env } : {}), ...(options.from ? { from: options.from } : {}), remote },
    vars,
  );
  for (const note of target.notes) err(c.dim(`wxo-policy: ${note}`));
  // The deploy reads the commit, never the working tree: say so when they differ.
  if (git(target.root, ['status', '--porcelain', '--untracked-files=no'], { allowFailure: true }).stdout.trim())
    err(c.yellow(`wxo-policy: ${messages.deploy.uncommitted(target.head.slice(0, 12))}`));
  const eventOptions = (mask: (t: string) => string) => ({
    vars,
    ...(options.pushMetrics ? { pushMetrics: options.pushMetrics } : {}),
    mask,
    warn: (t: string) => err(c.yellow(`wxo-policy: warning: ${t}`)),
    note: (t: string) => err(c.dim(`wxo-policy: ${t}`)),
  });
  // A deploy refused before its first call (a plan that cannot be made, the tenant binding, the
  // lock held) is a failed deploy to whoever watches: deploy_failed and the metrics, like any other.
  const refusedAt = Date.now();
  const refused = async (e: unknown, prepared?: PreparedPlan, version?: string) => {
    if (options.dryRun) return;
    const masker = new Masker();
    await deployEvents(
      target,
      prepared?.plan,
      version,
      eventOptions((t) => masker.mask(t)),
    ).finished({ ok: false, refused: true, started: refusedAt, failure: e instanceof Error ? e.message : String(e) });
  };
  let prepared: PreparedPlan;
  try {
    prepared = await preparePlan(target, { full: Boolean(options.full) });
  } catch (e) {
    await refused(e);
    throw e;
  }
  const binaryName = target.policy.deploy.orchestrate;

  if (options.dryRun) {
    out(formatPlanText(prepared, c, binaryName));
    out('');
    out(c.dim(messages.deploy.dryRunDone));
    return EXIT.ok;
  }
  const { plan } = prepared;
  if (!plan.operations.length && target.base?.rev === target.head) {
    out(headerLines(prepared).join('\n'));
    out(c.green(messages.deploy.alreadyDeployed(target.base.tag?.name ?? target.base.rev.slice(0, 12))));
    return EXIT.ok;
  }
  let version: string | undefined;
  let lock: Lock;
  try {
    if (prepared.tenantProblems.length) {
      throw new ConfigError(messages.deploy.tenantRefused(target.env.name, prepared.tenantProblems), messages.deploy.tenantRefusedHint);
    }
    version = deployVersion(target);
    lock = acquireLock(target.repo.commonDir, target.env.name, target.head);
  } catch (e) {
    await refused(e, prepared, version);
    throw e;
  }
  if (lock.recovered) err(c.yellow(`wxo-policy: ${messages.deploy.staleLockRecovered(lock.recovered)}`));
  const deadWorkspaces = removeDeadWorkspaces(processAlive);
  if (deadWorkspaces) err(c.yellow(`wxo-policy: ${messages.deploy.deadWorkspacesRemoved(deadWorkspaces)}`));
  let workspace: Workspace | undefined;
  const cleanup = () => {
    workspace?.remove();
    workspace = undefined;
    lock.release();
  };
  // An interrupted deploy (Ctrl-C, Jenkins abort) must not leave rendered files or the lock behind.
  const onSignal = (signal: NodeJS.Signals) => {
    void killActiveChildren().finally(() => {
      cleanup();
      err(c.red(`wxo-policy: ${messages.deploy.interrupted(signal)}`));
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  ignoreClosedPipes();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Last resort for any other way out of the process: both cleanups are synchronous.
  process.once('exit', cleanup);
  // Notifications and metrics (src/live): they warn when they fail, never fail the deploy.
  const run: RunState = { masker: new Masker() };
  const events = deployEvents(
    target,
    prepared.plan,
    version,
    eventOptions((t) => run.masker.mask(t)),
  );
  const started = Date.now();
  try {
    // Sent while the deploy runs: a slow webhook does not hold up the first call.
    const startedSent = events.started();
    let code: number;
    try {
      code = await execute(prepared, { ...options, remote }, version, (w) => (workspace = w), run, lock);
    } catch (e) {
      await startedSent;
      await events.finished({ ok: false, started, failure: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    await startedSent;
    await events.finished({ ok: code === EXIT.ok, started, ...(run.tag ? { tag: run.tag } : {}), failure: run.failure ?? 'failed' });
    return code;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', cleanup);
    cleanup();
  }
}

/**
 * A closed output pipe (`wxo-policy deploy | head`) must not kill a deploy halfway — leaving the
 * lock and rendered files behind: write errors are dropped for the rest of the process (the
 * error events can arrive after the deploy has returned).
 */
let pipesGuarded = false;
function ignoreClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  const ignore = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  };
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
}

/** What execute leaves behind for the events: the masker of this deploy, the tag made, what failed. */
interface RunState {
  masker: Masker;
  /** The record's `live verification:` line. */
  verification?: string;
  tag?: string;
  failure?: string;
}

interface Step {
  label: string;
  argv: Arg[];
  timeoutMs: number;
  /** The unit whose files the call reads. */
  unit?: string | undefined;
  /** The answer to a prompt the call asks (env remove of the active environment). */
  input?: string;
}

async function execute(
  prepared: PreparedPlan,
  options: DeployOptions & { remote: string },
  version: string,
  setWorkspace: (w: Workspace) => void,
  run: RunState,
  lock: Lock,
): Promise<number> {
  const { out, err, colors: c, vars } = options;
  const { target, plan } = prepared;
  const policy = target.policy;
  const binaryName = policy.deploy.orchestrate;
  const binary = resolveBinary(binaryName, target.root, vars);
  const masker = run.masker;
  const started = Date.now();
  const o = target.tenant.orchestrate;
  if (plan.operations.length && cpdLoginMissing(target.tenant, prepared.head.tenant?.authType))
    throw new ConfigError(messages.deploy.cpdNotSupported(o.env_name, o.url), messages.deploy.cpdNotSupportedHint);

  out(headerLines(prepared).join('\n'));
  for (const w of prepared.warnings) err(c.yellow(messages.plan.warning(w)));

  // The [n/N] steps are the operations plus the calls that authenticate: the summary counts both.
  let authSteps = 0;
  if (plan.operations.length) {
    // ---- secrets: all of them, before anything is called ------------------------------------------
    const names = [...new Set([prepared.apiKeySecret, ...plan.secrets])];
    const values = resolveSecrets(policy, target.root, vars, names, masker);

    // ---- files, rendered privately --------------------------------------------------------------------
    // Each call finds the files of its unit written just before it, removed right after it.
    const unitsById = new Map(prepared.head.units.map((u) => [u.id, u]));
    const workspace = createWorkspace();
    setWorkspace(workspace);

    const call = async (argv: Arg[], timeoutMs: number, input?: string): Promise<CallResult> => {
      // `agents deploy` polls for the release itself: let it give up (and say so) before we kill it.
      const env =
        argv[0] === 'agents' && argv[1] === 'deploy' && !vars.WXO_AGENT_DEPLOYMENT_TIMEOUT
          ? { ...vars, WXO_AGENT_DEPLOYMENT_TIMEOUT: String(Math.max(1, Math.floor(timeoutMs / 1000) - 10)) }
          : vars;
      return callOrchestrate(binary, resolveArgv(argv, values), maskedArgv(argv), {
        cwd: workspace.dir,
        env: { ...env, [DEPLOY_NONCE_VARIABLE]: lock.nonce },
        timeoutMs,
        masker,
        ...(input === undefined ? {} : { input }),
        onSpawn: (pid) => lock.addChild(pid),
        onExit: (pid) => lock.removeChild(pid),
      });
    };
    const timeout = policy.deploy.timeout_seconds * 1000;

    // ---- authentication ----------------------------------------------------------------------------------
    const auth = authCalls(prepared);
    out('');
    out(c.bold(messages.deploy.authenticating(target.tenant.orchestrate.env_name)));
    const envName = target.tenant.orchestrate.env_name;
    const listed = await call(auth.list, timeout);
    const known = listed.ok && envListed(listed.output, envName);
    // A changed tenant URL or auth type: the CLI's environment is re-created (remove + add), not only
    // a new one added — `env list` shows the URL, the CLI's config file the auth type.
    const stored = known ? { url: envListedUrl(listed.output, envName), ...storedEnvironment(vars.HOME, envName) } : undefined;
    const trim = (u?: string) => u?.trim().replace(/\/+$/, '');
    const stale =
      stored &&
      (trim(stored.url) !== trim(auth.url) ||
        (auth.authType !== undefined && stored.authType !== undefined && stored.authType !== auth.authType));
    out(
      c.dim(
        `$ ${displayArgv(binaryName, auth.list)}: ${!known ? messages.deploy.envUnknown(envName) : stale ? messages.deploy.envChanged(envName, `${stored.url ?? '?'}${stored.authType ? ` (${stored.authType})` : ''}`, `${auth.url}${auth.authType ? ` (${auth.authType})` : ''}`) : messages.deploy.envKnown(envName)}`,
      ),
    );
    const steps: Step[] = [];
    // environment_controller.py:244-245: removing the active environment asks (y/N) — answered yes
    if (stale)
      steps.push({
        label: messages.deploy.stepRemoveEnvironment(envName),
        argv: auth.remove,
        timeoutMs: timeout,
        input: 'y\n',
      });
    if (!known || stale) steps.push({ label: messages.deploy.stepAddEnvironment(envName), argv: auth.add, timeoutMs: timeout });
    steps.push({
      label: messages.deploy.stepActivateEnvironment(envName),
      argv: auth.activate,
      timeoutMs: timeout,
    });
    authSteps = steps.length;
    for (const op of plan.operations) {
      steps.push({
        label: describeOperation(op),
        argv: op.argv,
        timeoutMs: op.timeout === 'knowledge_base' ? policy.deploy.knowledge_base_timeout_seconds * 1000 : timeout,
        unit: op.unit,
      });
    }

    // ---- the operations --------------------------------------------------------------------------------------
    for (const [i, step] of steps.entries()) {
      const n = messages.deploy.stepNumber(i + 1, steps.length);
      out(`${n} ${step.label}`);
      out(c.dim(`${' '.repeat(n.length)} $ ${displayArgv(binaryName, step.argv)}`));
      const unit = step.unit ? unitsById.get(step.unit) : undefined;
      if (unit) workspace.write(renderUnitFiles(prepared.head, [unit], values, plan.stage));
      let result: CallResult;
      try {
        result = await call(step.argv, step.timeoutMs, step.input);
        for (let attempt = 1; !result.ok && attempt <= policy.deploy.retries; attempt++) {
          printOutput(out, c, n.length, result.output);
          err(c.yellow(`${' '.repeat(n.length)} ${messages.deploy.retrying(attempt, policy.deploy.retries, result.failure ?? '')}`));
          result = await call(step.argv, step.timeoutMs, step.input);
        }
      } finally {
        if (unit) workspace.clear();
      }
      printOutput(out, c, n.length, result.output);
      if (!result.ok) {
        out(c.red(`${' '.repeat(n.length)} ${messages.deploy.stepFailed(result.failure ?? '')}`));
        const base = target.base?.tag?.name;
        err(c.red(`wxo-policy: ${messages.deploy.failed(i + 1, steps.length, step.label, result.failure ?? 'failed')}`));
        err(messages.deploy.failedSummary(i, steps.length - i - 1, base));
        run.failure = messages.deploy.failed(i + 1, steps.length, step.label, result.failure ?? 'failed');
        return EXIT.findings;
      }
      out(c.green(`${' '.repeat(n.length)} ${messages.deploy.stepDone(result.ms, result.note)}`));
    }

    // ---- post-deploy verification: does the tenant hold what was imported, and not what was removed? ----
    if (options.verifyLive === false) run.verification = messages.live.verifySkipped;
    else {
      out('');
      out(c.bold(messages.live.verifying));
      const failed = (why: string) => {
        run.failure = messages.live.verifyFailed(why);
        err(c.red(`wxo-policy: ${run.failure}`));
        err(messages.live.verifyFailedHint(target.base?.tag?.name));
        return EXIT.findings;
      };
      let verified;
      try {
        verified = await verifyDeploy(
          prepared,
          (argv) => call(argv, timeout),
          (t) => masker.mask(t),
        );
      } catch (e) {
        if (e instanceof ReadError) return failed(masker.mask(e.message));
        throw e;
      }
      if (!verified.ok) {
        for (const item of verified.items) {
          out(c.red(`  ✗ ${messages.live.verifyItem(item.state, item.kind, item.name)}`));
          for (const d of item.diffs) out(`      ${messages.live.verifyDiff(d.field, d.expected, d.actual)}`);
        }
        return failed(messages.live.verifyMismatch(verified.items.length));
      }
      run.verification = messages.live.verified(verified.checked);
      out(c.green(`  ✓ ${messages.live.verifyOk(run.verification)}`));
    }
  } else {
    out(messages.deploy.noOperations);
  }

  // ---- the record -------------------------------------------------------------------------------------------------
  const record = deployRecord(
    prepared,
    version,
    plan.operations.map((o) => displayArgv(binaryName, o.argv)),
    vars,
    started,
    run.verification,
  );
  let tag = '';
  for (let attempt = 0; attempt < 20 && !tag; attempt++) {
    const name = nextTagName(target.root, policy, target.env, version);
    if (createTag(target.root, name, target.head, masker.mask(record), vars)) tag = name;
  }
  if (!tag) throw new ConfigError(messages.deploy.tagFailed(`v${version}`, 'no free tag name'));
  run.tag = tag;
  out('');
  out(c.green(messages.deploy.succeeded(target.env.name, plan.operations.length, (Date.now() - started) / 1000, tag, authSteps)));
  if (options.pushTags) {
    const pushed = pushTag(target.root, options.remote, tag, vars);
    if (!pushed.ok) {
      err(c.red(`wxo-policy: ${messages.deploy.pushFailed(tag, options.remote, masker.mask(pushed.detail))}`));
      run.failure = messages.deploy.pushFailed(tag, options.remote, masker.mask(pushed.detail));
      return EXIT.findings;
    }
    out(messages.deploy.pushed(tag, options.remote));
  } else {
    out(c.dim(messages.deploy.pushHint(tag, options.remote)));
  }
  return EXIT.ok;
}

function printOutput(out: (t: string) => void, c: Palette, indent: number, output: string): void {
  if (!output) return;
  for (const line of output.split(/\r?\n/)) if (line.trim()) out(c.dim(`${' '.repeat(indent)} │ ${line}`));
}

/** The annotated tag's message: what was deployed where, by which run. Secrets appear as names. */
function deployRecord(
  prepared: PreparedPlan,
  version: string,
  operations: string[],
  vars: NodeJS.ProcessEnv,
  started: number,
  verification?: string,
): string {
  const { target } = prepared;
  const base = target.base ? `${target.base.tag?.name ?? '--from'} (${target.base.rev})` : 'none (first deploy)';
  const lines = [
    `wxo-policy deploy of ${target.env.name} (${target.tenant.name}, ${target.env.stage})`,
    '',
    `environment: ${target.env.name}`,
    `tenant: ${target.tenant.name}`,
    `stage: ${target.env.stage}`,
    `orchestrate env: ${target.tenant.orchestrate.env_name} (${target.tenant.orchestrate.url})`,
    `branch: ${target.branch ?? '(detached)'}`,
    `commit: ${target.head}`,
    `version: ${version}`,
    `base: ${base}`,
    `policy: ${target.policy.origin} (sha256 ${target.policy.hash.slice(0, 12)})`,
    `started: ${new Date(started).toISOString()}`,
    `finished: ${new Date().toISOString()}`,
    `host: ${hostname()}`,
    `tool: wxo-policy ${TOOL_VERSION}`,
  ];
  if (vars.BUILD_URL) lines.push(`build: ${vars.BUILD_URL}`);
  // The Jenkins approval gate's answer (its submitter's id): one line, whatever it holds.
  const approvedBy = vars.WXO_POLICY_APPROVED_BY?.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 200);
  if (approvedBy) lines.push(`approved by: ${approvedBy}`);
  if (verification) lines.push(`live verification: ${verification}`);
  lines.push(`operations: ${operations.length}`);
  operations.forEach((op, i) => lines.push(`  ${i + 1}. ${op}`));
  return `${lines.join('\n')}\n`;
}
