import { EXIT, UsageError } from '../../errors.js';
import { resolveTarget } from '../../deploy/target.js';
import { sendEvent } from '../../live/deployEvents.js';
import { messages } from '../../messages.js';
import type { NotificationEventName } from '../../policy/model.js';
import { parseCommandArgs } from '../args.js';
import { colorsFor, err, out } from '../../report/console.js';
import type { CliContext } from '../context.js';
import { targetsFor } from '../../live/notify.js';
import { credentialsIdOf } from '../../policy/ciEnvironment.js';

export const summary = "send a notification about the environment (e.g. approval_waiting before Jenkins' input step)";
export const usage = `wxo-policy notify --event approval_waiting [--env E] [--title TEXT] [--text TEXT]
       wxo-policy notify --credentials [--env E]

Sends the event to the notifications targets of the policy that take it (see "Monitoring and
alerting" in the README). Events: approval_waiting (what the Jenkinsfile sends before its
approval), and for pipelines that do their own steps: deploy_started, deploy_succeeded,
deploy_failed, rollback, drift_found, drift_cleared. A notification that cannot be sent is a
warning; the exit code is 0 unless the command line is wrong.

--credentials prints, one per line, \`<jenkins credential id>=<variable>\` for every webhook URL
secret of the targets that take events of the environment (id: the secret name in lower case,
"_" as "-"): the Jenkinsfile binds them with withCredentials.

  -e, --env E   the environment (default: from the branch; Jenkins: BRANCH_NAME)`;

const EVENTS: readonly NotificationEventName[] = [
  'approval_waiting',
  'deploy_started',
  'deploy_succeeded',
  'deploy_failed',
  'rollback',
  'drift_found',
  'drift_cleared',
];

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      event: { type: 'string' },
      env: { type: 'string', short: 'e' },
      title: { type: 'string' },
      text: { type: 'string' },
      credentials: { type: 'boolean' },
    },
    usage,
    false,
  );
  if (values.credentials) {
    const target = await resolveTarget(ctx.cwd, { ...(values.env ? { env: values.env } : {}), fetchTags: false }, ctx.env);
    const secrets = new Set<string>();
    for (const event of EVENTS)
      for (const t of targetsFor(target.policy, { event, tenant: target.tenant.name, environment: target.env.name }))
        secrets.add(t.url_secret);
    if (secrets.size)
      out(
        ctx,
        [...secrets]
          .sort()
          .map((s) => `${credentialsIdOf(s)}=${s}`)
          .join('\n'),
      );
    return EXIT.ok;
  }
  const event = values.event as NotificationEventName | undefined;
  if (!event || !EVENTS.includes(event)) throw new UsageError(messages.notify.unknownEvent(values.event, EVENTS), messages.usageOf(usage));
  const target = await resolveTarget(ctx.cwd, { ...(values.env ? { env: values.env } : {}), fetchTags: false }, ctx.env);
  const c = colorsFor(ctx, 'stderr');
  const env = target.env.name;
  const title =
    values.title ?? (event === 'approval_waiting' ? `Approval waiting: deploy of ${env}` : `${event.replace(/_/g, ' ')}: ${env}`);
  const text =
    values.text ?? (event === 'approval_waiting' ? messages.notify.approvalText(env, target.head.slice(0, 12), ctx.env.BUILD_URL) : title);
  await sendEvent(
    target,
    ctx.env,
    (t) => err(ctx, c.yellow(`wxo-policy: warning: ${t}`)),
    (t) => err(ctx, c.dim(`wxo-policy: ${t}`)),
    { event, title, text },
  );
  return EXIT.ok;
}
