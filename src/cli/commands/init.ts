import { findRepo } from '../../git/resolveRepo.js';
import { init } from '../../setup/init.js';
import { install } from '../../setup/install.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out, type CliContext } from '../context.js';

export const summary = 'scaffold wxo-policy into a GitOps repository (policy, hooks, .gitattributes, Jenkinsfile …)';
export const usage = `wxo-policy init [--force] [--package-spec SPEC]

  Writes wxo-policy.yaml, .gitattributes merge entries, .husky/ hooks, a lint-staged configuration,
  package.json (devDependencies and a prepare script), .gitignore entries and an example Jenkinsfile.
  Existing .gitattributes, .gitignore and package.json are merged into; other existing files are
  kept unless --force. Running it twice changes nothing.

  --force              overwrite wxo-policy.yaml, the hooks and the Jenkinsfile
  --package-spec SPEC  version spec of the wxo-policy devDependency (default ^<this version>)`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(args, { force: { type: 'boolean' }, 'package-spec': { type: 'string' } }, usage, false);
  const repo = findRepo(ctx.cwd);
  const root = repo?.root ?? ctx.cwd;
  const { steps, errors } = init(root, { ...(values.force ? { force: true } : {}), ...(values['package-spec'] ? { packageSpec: values['package-spec'] } : {}) });
  const c = colorsFor(ctx);
  const mark = { created: c.green('created  '), updated: c.yellow('updated  '), unchanged: c.dim('unchanged'), kept: c.dim('kept     ') };
  for (const s of steps) out(ctx, `  ${mark[s.action]} ${s.file}${s.detail ? c.dim(` (${s.detail})`) : ''}`);
  for (const e of errors) err(ctx, `${c.red('wxo-policy: error:')} ${e}`);
  if (repo) {
    const report = await install(repo, ctx.env);
    for (const line of report.changed) out(ctx, `  ${c.green('installed')} ${line}`);
    for (const note of report.notes) err(ctx, c.dim(`wxo-policy: ${note}`));
  } else {
    err(ctx, c.yellow('wxo-policy: not a git repository yet: run `git init`, then `wxo-policy install`'));
  }
  const changed = steps.some((s) => s.action === 'created' || s.action === 'updated');
  out(ctx, changed ? '\nNext: `npm install` (installs wxo-policy, husky and lint-staged; `prepare` activates the hooks in every clone), then commit the new files.' : '\nNothing to do: wxo-policy is already set up here.');
  return errors.length ? 2 : 0;
}
