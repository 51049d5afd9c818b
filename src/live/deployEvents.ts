import type { Plan } from '../deploy/plan.js';
import type { Target } from '../deploy/target.js';
import { messages } from '../messages.js';
import { deployMetrics, displayUrl, pushMetrics } from './metrics.js';
import { makeEvent, sendNotifications, type EventInput } from './notify.js';

/**
 * What a deploy tells the outside world: `deploy_started` before its first call,
 * `deploy_succeeded` / `deploy_failed` at the end (notifications of the policy), and with
 * `--push-metrics URL` its result to a Pushgateway. Nothing here can fail the deploy: every
 * problem is a warning.
 */
export interface DeployOutcome {
  ok: boolean;
  started: number;
  tag?: string;
  /** What failed (masked). */
  failure?: string;
  /** Refused before its first call (tenant binding, lock held, plan refused): nothing was changed. */
  refused?: boolean;
}

export interface DeployEventOptions {
  vars: NodeJS.ProcessEnv;
  warn(text: string): void;
  note(text: string): void;
  mask(text: string): string;
  pushMetrics?: string;
}

/** What every event about the environment of a target says of it (and of the Jenkins build). */
function environmentFields(target: Target, vars: NodeJS.ProcessEnv, version?: string): Omit<EventInput, 'event' | 'title' | 'text'> {
  return {
    tenant: target.tenant.name,
    environment: target.env.name,
    stage: target.env.stage,
    ...(target.branch ? { branch: target.branch } : {}),
    commit: target.head,
    ...(version ? { version } : {}),
    ...(vars.BUILD_URL ? { build_url: vars.BUILD_URL } : {}),
  };
}

/** `plan` and `version` are unknown when the deploy is refused before it has them (a plan that cannot be made). */
export function deployEvents(target: Target, plan: Plan | undefined, version: string | undefined, options: DeployEventOptions) {
  const operations = plan?.operations.length ?? 0;
  const base = () => environmentFields(target, options.vars, version);
  const send = async (input: EventInput) => {
    const results = await sendNotifications(
      { policy: target.policy, root: target.root, vars: options.vars, warn: options.warn, mask: options.mask },
      makeEvent(input),
    );
    for (const r of results) if (r.ok) options.note(messages.notify.sent(r.target, input.event));
  };
  return {
    started: () =>
      send({
        ...base(),
        event: 'deploy_started',
        title: messages.notify.startedTitle(target.env.name),
        text: messages.notify.startedText(operations, target.tenant.name, target.base?.tag?.name, target.head.slice(0, 12)),
        details: { operations },
      }),
    finished: async (outcome: DeployOutcome) => {
      const seconds = Math.round((Date.now() - outcome.started) / 100) / 10;
      await send(
        outcome.ok
          ? {
              ...base(),
              event: 'deploy_succeeded',
              ...(outcome.tag ? { tag: outcome.tag } : {}),
              title: messages.notify.succeededTitle(target.env.name, outcome.tag),
              text: messages.notify.succeededText(operations, seconds),
              details: { operations, duration_seconds: seconds },
            }
          : outcome.refused
            ? {
                ...base(),
                event: 'deploy_failed',
                title: messages.notify.refusedTitle(target.env.name),
                text: `${options.mask(outcome.failure ?? 'refused')}\n${messages.notify.refusedBeforeStart}`,
                details: { operations, duration_seconds: seconds, failure: options.mask(outcome.failure ?? 'refused'), refused: true },
              }
            : {
                ...base(),
                event: 'deploy_failed',
                title: messages.notify.failedTitle(target.env.name),
                text: messages.notify.failedText(options.mask(outcome.failure ?? 'failed'), target.base?.tag?.name),
                details: { operations, duration_seconds: seconds, failure: options.mask(outcome.failure ?? 'failed') },
              },
      );
      if (options.pushMetrics) {
        const body = deployMetrics({
          tenant: target.tenant.name,
          environment: target.env.name,
          stage: target.env.stage,
          ok: outcome.ok,
          finished: Date.now(),
          durationSeconds: seconds,
          operations,
        });
        const pushed = await pushMetrics(options.pushMetrics, 'wxo_policy_deploy', { environment: target.env.name }, body);
        if (pushed.ok) options.note(messages.metrics.pushed(displayUrl(options.pushMetrics), 'wxo_policy_deploy'));
        else options.warn(messages.metrics.pushFailed(displayUrl(options.pushMetrics), pushed.detail ?? 'failed'));
      }
    },
  };
}

/** The `rollback` event, after the revert commits are made (the redeploy is the next push). */
export async function notifyRollback(
  target: Target,
  toTag: string,
  reverts: number,
  vars: NodeJS.ProcessEnv,
  warn: (t: string) => void,
  note: (t: string) => void,
): Promise<void> {
  await sendEvent(target, vars, warn, note, {
    event: 'rollback',
    tag: toTag,
    title: messages.notify.rollbackTitle(target.env.name, toTag),
    text: messages.notify.rollbackText(reverts, target.branch ?? target.env.name),
    details: { reverts },
  });
}

/** Any event about the environment of a target (`wxo-policy notify`, rollback). */
export async function sendEvent(
  target: Target,
  vars: NodeJS.ProcessEnv,
  warn: (t: string) => void,
  note: (t: string) => void,
  input: Pick<EventInput, 'event' | 'title' | 'text'> & Partial<EventInput>,
): Promise<boolean> {
  const event = makeEvent({ ...environmentFields(target, vars), ...input });
  const results = await sendNotifications({ policy: target.policy, root: target.root, vars, warn }, event);
  for (const r of results) if (r.ok) note(messages.notify.sent(r.target, input.event));
  return results.every((r) => r.ok);
}
