import type { NotificationEventName, NotificationTarget, Policy } from '../policy/model.js';
import { secretProvider } from '../deploy/secrets.js';
import { messages } from '../messages.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * Alerting per tenant: the policy's `notifications.targets` receive events (deploy started /
 * succeeded / failed, rollback, drift found / cleared, approval waiting) as Slack incoming-webhook
 * messages, Microsoft Teams Adaptive Cards (Workflows webhooks) or the generic JSON event
 * (schemas/notification-event.schema.json). Webhook URLs carry tokens: they come from the secret
 * provider, by name, and are never printed. Each POST has a timeout; network errors, 429 and 5xx
 * are retried with exponential back-off; a notification that still fails is a warning — it never
 * fails or blocks what it reports on.
 *
 * Payload builders are pure; `sendNotifications` is the shell.
 */
const EVENT_SCHEMA = 'wxo-policy/notification-event/v1';

export interface NotificationEvent {
  schema: typeof EVENT_SCHEMA;
  event: NotificationEventName;
  severity: 'info' | 'success' | 'warning' | 'error';
  time: string;
  title: string;
  text: string;
  tenant: string;
  environment: string;
  stage: string;
  branch?: string;
  commit?: string;
  tag?: string;
  version?: string;
  build_url?: string;
  /** Drift: the drifted resources; deploy: operations, duration, failure. Never a secret value. */
  details?: Record<string, unknown>;
  tool: { name: string; version: string };
}

const SEVERITY: Record<NotificationEventName, NotificationEvent['severity']> = {
  deploy_started: 'info',
  deploy_succeeded: 'success',
  deploy_failed: 'error',
  rollback: 'warning',
  drift_found: 'warning',
  drift_cleared: 'success',
  approval_waiting: 'info',
};

export type EventInput = Omit<NotificationEvent, 'schema' | 'severity' | 'time' | 'tool'> & { time?: string };

export function makeEvent(input: EventInput): NotificationEvent {
  const { time, ...rest } = input;
  return {
    schema: EVENT_SCHEMA,
    severity: SEVERITY[input.event],
    time: time ?? new Date().toISOString(),
    ...rest,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
  };
}

const SYMBOL: Record<NotificationEvent['severity'], string> = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '❌' };

function facts(e: NotificationEvent): [string, string][] {
  const out: [string, string][] = [
    ['Environment', `${e.environment} (${e.stage})`],
    ['Tenant', e.tenant],
  ];
  if (e.branch) out.push(['Branch', e.branch]);
  if (e.tag) out.push(['Tag', e.tag]);
  if (e.commit) out.push(['Commit', e.commit.slice(0, 12)]);
  if (e.build_url) out.push(['Build', e.build_url]);
  return out;
}

/** Slack incoming webhook: `text` (the fallback) plus Block Kit blocks. */
export function slackPayload(e: NotificationEvent): Record<string, unknown> {
  return {
    text: `${SYMBOL[e.severity]} ${e.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${SYMBOL[e.severity]} ${e.title}`.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(e.text).slice(0, 2900) } },
      {
        type: 'section',
        fields: facts(e)
          .map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v)}` }))
          .slice(0, 10),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${e.event} · ${e.time} · ${e.tool.name} ${e.tool.version}` }] },
    ],
  };
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Microsoft Teams (Workflows "when a webhook request is received"): one Adaptive Card. */
export function teamsPayload(e: NotificationEvent): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Medium',
              weight: 'Bolder',
              wrap: true,
              text: `${SYMBOL[e.severity]} ${e.title}`,
              color:
                e.severity === 'error' ? 'Attention' : e.severity === 'warning' ? 'Warning' : e.severity === 'success' ? 'Good' : 'Default',
            },
            { type: 'TextBlock', wrap: true, text: e.text },
            { type: 'FactSet', facts: facts(e).map(([title, value]) => ({ title, value })) },
          ],
          ...(e.build_url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the build', url: e.build_url }] } : {}),
        },
      },
    ],
  };
}

function payloadFor(type: NotificationTarget['type'], e: NotificationEvent): Record<string, unknown> {
  return type === 'slack' ? slackPayload(e) : type === 'teams' ? teamsPayload(e) : { ...e };
}

/** The targets an event goes to: its event, tenant and environment filters. Pure. */
export function targetsFor(
  policy: Pick<Policy, 'notifications'>,
  e: Pick<NotificationEvent, 'event' | 'tenant' | 'environment'>,
): NotificationTarget[] {
  return (policy.notifications?.targets ?? []).filter(
    (t) =>
      (!t.events || t.events.includes(e.event)) &&
      (!t.tenants || t.tenants.includes(e.tenant)) &&
      (!t.environments || t.environments.includes(e.environment)),
  );
}

export interface DeliverySettings {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

function deliverySettings(policy: Pick<Policy, 'notifications'>): DeliverySettings {
  const n = policy.notifications ?? {};
  return { timeoutMs: (n.timeout_seconds ?? 10) * 1000, retries: n.retries ?? 2, backoffMs: (n.backoff_seconds ?? 1) * 1000 };
}

export interface Delivery {
  target: string;
  ok: boolean;
  attempts: number;
  /** Why it failed (status or network error); never the URL. */
  detail?: string;
}

/** One POST with retries. Never throws; the URL appears in nothing it returns. */
export async function deliver(
  url: string,
  body: Record<string, unknown>,
  settings: DeliverySettings,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<Omit<Delivery, 'target'>> {
  let detail = '';
  const attempts = settings.retries + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(settings.backoffMs * 2 ** (attempt - 2));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': `${TOOL_NAME}/${TOOL_VERSION}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
        redirect: 'error',
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt };
      detail = `HTTP ${res.status}`;
      if (res.status !== 429 && res.status < 500) return { ok: false, attempts: attempt, detail };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      detail =
        err.name === 'TimeoutError' ? `timed out after ${settings.timeoutMs / 1000} s` : (err.cause?.code ?? err.name ?? 'network error');
    }
  }
  return { ok: false, attempts, detail };
}

export interface NotifyContext {
  policy: Policy;
  root: string;
  vars: NodeJS.ProcessEnv;
  warn(text: string): void;
  /** Masks secret values the caller knows of (deploy secrets) in every payload. */
  mask?(text: string): string;
}

/**
 * Sends one event to every matching target. Never throws: a target without its URL secret, a
 * malformed URL or a failed POST is a warning naming the target. Returns what happened.
 */
export async function sendNotifications(ctx: NotifyContext, event: NotificationEvent): Promise<Delivery[]> {
  const targets = targetsFor(ctx.policy, event);
  if (!targets.length) return [];
  const settings = deliverySettings(ctx.policy);
  const results: Delivery[] = [];
  let urls: Map<string, string>;
  let missing: { name: string; reason?: string }[] = [];
  try {
    const resolved = secretProvider(ctx.policy, ctx.root, ctx.vars).resolve([...new Set(targets.map((t) => t.url_secret))]);
    urls = resolved.values;
    missing = resolved.missing;
  } catch (e) {
    ctx.warn(messages.notify.secretsUnavailable((e as Error).message));
    return targets.map((t) => ({ target: t.name, ok: false, attempts: 0, detail: 'secret provider failed' }));
  }
  const mask = (text: string) => {
    let out = ctx.mask ? ctx.mask(text) : text;
    // A payload never carries a webhook URL, even one that found its way into a message.
    for (const [name, url] of urls) out = out.split(url).join(`<secret:${name}>`);
    return out;
  };
  await Promise.all(
    targets.map(async (t) => {
      const url = urls.get(t.url_secret);
      if (!url) {
        ctx.warn(messages.notify.urlMissing(t.name, t.url_secret, missing.find((m) => m.name === t.url_secret)?.reason));
        results.push({ target: t.name, ok: false, attempts: 0, detail: 'no URL' });
        return;
      }
      if (!/^https?:\/\//i.test(url)) {
        ctx.warn(messages.notify.urlInvalid(t.name, t.url_secret));
        results.push({ target: t.name, ok: false, attempts: 0, detail: 'not an http(s) URL' });
        return;
      }
      const body = JSON.parse(mask(JSON.stringify(payloadFor(t.type, event)))) as Record<string, unknown>;
      const r = await deliver(url, body, settings);
      if (!r.ok) ctx.warn(messages.notify.failed(t.name, event.event, r.attempts, r.detail ?? 'failed'));
      results.push({ target: t.name, ...r });
    }),
  );
  return results;
}
