import { runDeploy } from '../../deploy/deploy.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';

export const summary = 'deploy the environment of this branch: run the plan, then tag the commit with the deploy record';
export const usage = `wxo-policy deploy [--env E] [--dry-run] [--from REV] [--push-tags] [--full] [--no-verify-live] [--push-metrics URL]

  -e, --env E    environment (default: from the branch; Jenkins: BRANCH_NAME)
  -n, --dry-run  print what would run; call nothing, tag nothing
  --from REV     base where the environment has no reachable deploy tag yet (first deploy)
  --push-tags    push the new deploy tag to the remote
  --no-verify-live  skip the post-deploy verification (the record says so)
  --push-metrics URL  push the result (success or failure, duration) to a Prometheus Pushgateway
  --full         import (live stages: and deploy) every resource again, changed or not — the
                 repair after a hand edit in the tenant (\`wxo-policy drift\`)
  --remote NAME  remote for fetching and pushing deploy tags (default: origin)

Secrets come from deploy.secrets in wxo-policy.yaml (default: environment variables); all
missing ones are reported before the first call (exit 2). A failed call stops the deploy with
exit 1 and no tag; the next run plans again from the last tag. The orchestrate CLI keeps its
state under HOME: give every CI build its own HOME (the Jenkinsfile does).`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      env: { type: 'string', short: 'e' },
      'dry-run': { type: 'boolean', short: 'n' },
      from: { type: 'string' },
      'push-tags': { type: 'boolean' },
      full: { type: 'boolean' },
      'push-metrics': { type: 'string' },
      'no-verify-live': { type: 'boolean' },
      remote: { type: 'string' },
    },
    usage,
    false,
  );
  return runDeploy(ctx.cwd, {
    ...(values.env ? { env: values.env } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.remote ? { remote: values.remote } : {}),
    dryRun: Boolean(values['dry-run']),
    pushTags: Boolean(values['push-tags']),
    full: Boolean(values.full),
    verifyLive: !values['no-verify-live'],
    ...(values['push-metrics'] ? { pushMetrics: values['push-metrics'] } : {}),
    vars: ctx.env,
    out: (t) => out(ctx, t),
    err: (t) => err(ctx, t),
    colors: colorsFor(ctx),
  });
}
