import { isJenkins, readJenkinsBuild } from '../../ci/jenkins.js';
import { EXIT, UsageError } from '../../errors.js';
import { currentBranch, revParse } from '../../git/queries.js';
import { resolveRepo } from '../../git/resolveRepo.js';
import { messages } from '../../messages.js';
import { ciEnvironment, formatCiEnvironment } from '../../policy/ciEnvironment.js';
import { loadPolicyAt } from '../../snapshot/loadPolicy.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'what the policy says about a branch: environment, tenant, approval, Jenkins credential (for the Jenkinsfile)';
export const usage = `wxo-policy environment [--branch NAME] [--format properties|json]

  Prints, from wxo-policy.yaml at HEAD, what a pipeline needs to know about the branch, one
  key=value per line: environment (empty for a branch that is not an environment branch), tenant,
  stage, approval (true when a promotion into the environment needs one), credentials_id (the
  Jenkins "Secret text" credential with the tenant's API key: its api_key_secret in lower case,
  "_" as "-"), credentials_variable (api_key_secret) and lock. The shipped Jenkinsfile reads it,
  so credential ids and branch patterns live only in the policy.

  -b, --branch NAME   the branch (default: the checked-out branch; in Jenkins BRANCH_NAME;
                      pull-request and tag builds have no environment)
  -f, --format F      properties (default) or json`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    { branch: { type: 'string', short: 'b' }, format: { type: 'string', short: 'f' } },
    usage,
    false,
  );
  const format = values.format ?? 'properties';
  if (format !== 'properties' && format !== 'json')
    throw new UsageError(messages.unknownFormat(format, ['properties', 'json']), messages.usageOf(usage));
  const repo = resolveRepo(ctx.cwd);
  let branch = values.branch;
  if (branch === undefined && isJenkins(ctx.env)) {
    const build = readJenkinsBuild(ctx.env);
    if ('kind' in build) branch = build.kind === 'branch' ? build.branch : build.kind === 'pr' ? build.label : build.tag;
  }
  branch ??= currentBranch(repo.root);
  if (branch === undefined) throw new UsageError(messages.environment.noBranch, messages.environment.noBranchHint);
  const c = colorsFor(ctx, 'stderr');
  const head = revParse(repo.root, 'HEAD');
  const policy = await loadPolicyAt(repo.root, head ? { type: 'commit', rev: head } : { type: 'worktree' }, {
    notify: (note) => err(ctx, c.dim(`wxo-policy: ${note}`)),
    cacheDir: repo.commonDir,
  });
  const info = ciEnvironment(branch, policy);
  out(ctx, format === 'json' ? JSON.stringify(info, null, 2) : formatCiEnvironment(info).trimEnd());
  return EXIT.ok;
}
