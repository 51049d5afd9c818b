import type { ResourceSet, Unit } from '../deploy/resources.js';
import { storedName, wxoKind } from '../kinds/catalogue.js';
import { ADK_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';
import type { LiveKind, LiveState } from './answers.js';
import { isTenantWide } from '../kinds/draftLive.js';
import type { Policy } from '../policy/model.js';

/**
 * Git against the tenant: what a deploy tag says the tenant should hold (its resource set,
 * rendered with the values as deployed) compared with what the CLI reads from it. Pure — plain
 * data in, drift items out — so every rule is unit-tested without a tenant.
 *
 * - missing: Git defines it, the tenant does not hold it;
 * - unmanaged: the tenant holds it, Git does not define it (platform-provided names excepted);
 * - changed: both hold it, fields differ (field by field, secrets masked);
 * - draft-differs (live stages): the tenant's draft holds another version of an agent than the
 *   one this environment deployed to live — informational, not drift (see drift.ts).
 *
 * Compared: connections (per draft/live configuration: present, team/member, auth scheme,
 * credentials entered), tools, toolkits and knowledge bases (present; description), agents (every
 * field the Git file sets, against `agents export --agent-only`, names resolved). `drift` also
 * reads voice configurations (every field the Git file sets, against `voice-configs list -v`),
 * custom models and model policies (present, description: `models list --raw`), phone configs
 * (present, service provider: `phone list-configs -v`) and channels (present, type:
 * `channels list-channels -v` of the agents Git attaches channels to); the post-deploy verification
 * reads those when the deploy imported or removed one.
 */
export type DriftState = 'missing' | 'unmanaged' | 'changed' | 'draft-differs';

export interface FieldDiff {
  field: string;
  expected: string;
  actual: string;
}

export interface DriftItem {
  kind: LiveKind;
  name: string;
  state: DriftState;
  /** The Git file that defines it (missing, changed). */
  path?: string;
  /** Knowledge bases: one per tenant, shared by its environments (draft and live alike). */
  tenantWide?: boolean;
  diffs: FieldDiff[];
}

/** What Git says one object should be. */
export interface ExpectedObject {
  kind: LiveKind;
  name: string;
  path: string;
  /** The parsed, rendered file (agents, connections, toolkits, knowledge bases). */
  spec?: Record<string, unknown>;
  /** Agents: native / external / assistant; channels: the channel type. */
  variant?: string;
  /** Channels: the agent it belongs to. */
  agent?: string;
}

export interface CompareOptions {
  /** Platform-provided names (policy references.provided): never "unmanaged". */
  provided: Partial<Record<LiveKind, readonly string[]>>;
  /** Credential-like keys (policy secrets.credential_keys): their values are never shown. */
  credentialKeys: readonly string[];
  /** Masks known secret values in any text shown. */
  mask(text: string): string;
  /**
   * The environment's stage: a connection is compared in that environment block only — a deploy
   * imports only its stage's block and credentials (draft stays draft); the other block belongs to
   * the tenant's other environment.
   */
  stage?: 'draft' | 'live';
}

/** Platform-provided names (policy references.provided) by live kind: never "unmanaged". */
export function providedNames(policy: Pick<Policy, 'references'>): Partial<Record<LiveKind, readonly string[]>> {
  const p = policy.references.provided;
  return {
    tool: p.tools,
    agent: p.agents,
    knowledge_base: p.knowledge_bases,
    connection: p.connections,
    toolkit: p.toolkits,
    voice_config: p.voice_configs,
  };
}

/**
 * Kinds the common `… list -v` reads do not cover: each is read through a list of its own
 * (`voice-configs list -v`, `models list --raw`, `phone list-configs -v`, `channels list-channels`
 * of one agent environment) — expectedObjects with `listable`, readLiveState with `listable`. Drift
 * reads them always; the post-deploy verification when the plan imported or removed one.
 */
export const SEPARATELY_LISTED_KINDS: ReadonlySet<string> = new Set(['voice_config', 'model', 'model_policy', 'channel', 'phone']);

/**
 * The name the tenant lists an object by: models and model policies under their stored names
 * (`virtual-model/…`, `virtual-policy/…`: models_controller.py:279-280 / :465-466); a channel as
 * `agent/name` (compareLive's key: a channel is one agent's). Pure.
 */
export function liveName(kind: string, name: string, agent?: string): string {
  if (kind === 'model') return storedName('virtual-model/', name);
  if (kind === 'model_policy') return storedName('virtual-policy/', name);
  if (kind === 'channel' && agent !== undefined) return `${agent}/${name}`;
  return name;
}

const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * The objects a resource set defines, with their parsed files. Pure. Without `listable`, voice
 * configs, models, model policies, channels and phone configs are left out (as unchecked).
 * Models and policies are named as the tenant stores them (`virtual-model/…`); channels the ADK
 * does not create (webchat) are not expected.
 */
export function expectedObjects(
  set: Pick<ResourceSet, 'units' | 'rendered'>,
  options: { listable?: boolean } = {},
): { objects: ExpectedObject[]; unchecked: string[] } {
  const objects: ExpectedObject[] = [];
  const unchecked: string[] = [];
  const specOf = (unit: Unit): Record<string, unknown> | undefined => {
    const content = set.rendered.get(unit.path);
    if (!content) return undefined;
    const text = content.toString('utf8');
    if (/\.json$/i.test(unit.path)) {
      try {
        const v = JSON.parse(text) as unknown;
        return isRecord(v) ? v : undefined;
      } catch {
        return undefined;
      }
    }
    const parsed = readYaml(text, ADK_YAML_OPTIONS);
    return isRecord(parsed.value) ? parsed.value : undefined;
  };
  for (const unit of set.units) {
    if (SEPARATELY_LISTED_KINDS.has(unit.kind)) {
      if (!options.listable) {
        unchecked.push(`${unit.kind} ${unit.name}`);
        continue;
      }
      if (wxoKind(unit.kind).deploy.notDeployedWhen?.(unit)) continue; // never created on the tenant
      for (const o of unit.objects) {
        const kind = o.kind as LiveKind;
        const object: ExpectedObject = { kind, name: liveName(kind, o.name), path: unit.path };
        const spec = specOf(unit);
        if (spec) object.spec = spec;
        if (o.variant) object.variant = o.variant;
        const agent = o.agent ?? unit.agent;
        if (kind === 'channel' && agent) object.agent = agent;
        objects.push(object);
      }
      continue;
    }
    for (const o of unit.objects) {
      const kind = o.kind as LiveKind;
      if (kind === 'tool') {
        objects.push({ kind, name: o.name, path: unit.path });
        continue;
      }
      const spec = specOf(unit);
      const object: ExpectedObject = { kind, name: o.name, path: unit.path };
      if (spec) object.spec = spec;
      if (o.variant) object.variant = o.variant;
      objects.push(object);
    }
  }
  return { objects, unchecked };
}

const keyOf = (kind: string, name: string) => `${kind}:${name}`;

/** The comparison. Items come sorted by kind (dependency order), then name. */
export function compareLive(expected: readonly ExpectedObject[], live: LiveState, options: CompareOptions): DriftItem[] {
  const items: DriftItem[] = [];
  const show = valueShower(options);
  const channelKey = (agent: string | undefined, name: string) => liveName('channel', name, agent ?? '?');
  // A kind whose list was not read (undefined) is not compared at all.
  const liveNames: Partial<Record<LiveKind, Set<string>>> = {
    connection: new Set(live.connections.map((c) => c.app_id)),
    tool: new Set(live.tools.map((t) => t.name as string)),
    toolkit: new Set(live.toolkits.map((t) => t.name as string)),
    knowledge_base: new Set(live.knowledgeBases.map((t) => t.name as string)),
    agent: new Set(live.agents.map((a) => a.name)),
    ...(live.voiceConfigs ? { voice_config: new Set(live.voiceConfigs.map((v) => v.name as string)) } : {}),
    ...(live.models
      ? {
          model: new Set(live.models.filter((m) => m.name.startsWith('virtual-model/')).map((m) => m.name)),
          model_policy: new Set(live.models.filter((m) => m.name.startsWith('virtual-policy/')).map((m) => m.name)),
        }
      : {}),
    ...(live.phoneConfigs ? { phone: new Set(live.phoneConfigs.map((p) => p.name as string)) } : {}),
    ...(live.channels ? { channel: new Set(live.channels.map((c) => channelKey(c.agent, c.name))) } : {}),
  };
  const byName = (list: Record<string, unknown>[], name: string) => list.find((r) => r.name === name);
  const nameOf = (o: ExpectedObject) => (o.kind === 'channel' ? channelKey(o.agent, o.name) : o.name);
  const expectedKeys = new Set(expected.map((o) => keyOf(o.kind, nameOf(o))));

  for (const o of expected) {
    const base = { kind: o.kind, name: nameOf(o), path: o.path, ...(isTenantWide(o.kind) ? { tenantWide: true } : {}) };
    const names = liveNames[o.kind];
    if (!names) continue;
    if (!names.has(nameOf(o))) {
      items.push({ ...base, state: 'missing', diffs: [] });
      continue;
    }
    let diffs: FieldDiff[] = [];
    switch (o.kind) {
      case 'connection':
        diffs = connectionDiffs(o, live, show, options.stage);
        break;
      case 'toolkit':
      case 'knowledge_base': {
        const actual = byName(o.kind === 'toolkit' ? live.toolkits : live.knowledgeBases, o.name)!;
        diffs = fieldDiffs(pick(o.spec, ['description']), pick(actual, ['description']), show);
        break;
      }
      case 'agent': {
        const listed = live.agents.find((a) => a.name === o.name)!;
        const variant = o.variant ?? 'native';
        if (listed.kind !== variant) diffs.push({ field: 'kind', expected: variant, actual: listed.kind });
        const exported = live.exports[o.name];
        // Without an export (it failed or was not asked for), only what list -v shows by name.
        const actual = exported ?? listed.spec;
        const fields = Object.keys(o.spec ?? {}).filter(
          (k) => k !== 'spec_version' && k !== 'kind' && (exported || !REFERENCE_FIELDS.has(k)),
        );
        diffs.push(...fieldDiffs(pick(o.spec, fields), pick(actual, fields), show));
        break;
      }
      case 'voice_config': {
        const actual = byName(live.voiceConfigs!, o.name)!;
        const fields = Object.keys(o.spec ?? {}).filter((k) => k !== 'spec_version' && k !== 'kind');
        diffs = fieldDiffs(pick(o.spec, fields), pick(actual, fields), show);
        break;
      }
      case 'model':
      case 'model_policy': {
        const actual = live.models!.find((m) => m.name === o.name)!;
        // The raw list shows a description only when there is one ("No description provided." otherwise).
        const listed = actual.description === 'No description provided.' ? '' : actual.description;
        if (typeof o.spec?.description === 'string' && normalize(o.spec.description) !== normalize(listed) && !listed.endsWith('…'))
          diffs.push({
            field: 'description',
            expected: show.value('description', o.spec.description),
            actual: show.value('description', listed),
          });
        break;
      }
      case 'phone': {
        const actual = byName(live.phoneConfigs!, o.name)!;
        diffs = fieldDiffs(pick(o.spec, ['service_provider']), pick(actual, ['service_provider']), show);
        break;
      }
      case 'channel': {
        const actual = live.channels!.find((c) => channelKey(c.agent, c.name) === nameOf(o))!;
        if (o.variant && actual.type && o.variant !== actual.type)
          diffs.push({ field: 'channel', expected: show.text(o.variant), actual: show.text(actual.type) });
        break;
      }
      default:
        break;
    }
    if (diffs.length) items.push({ ...base, state: 'changed', diffs });
  }

  const unmanaged = (kind: LiveKind, names: Iterable<string>) => {
    const provided = new Set(options.provided[kind] ?? []);
    for (const name of new Set(names)) {
      if (expectedKeys.has(keyOf(kind, name)) || provided.has(name)) continue;
      items.push({ kind, name, state: 'unmanaged', diffs: [], ...(isTenantWide(kind) ? { tenantWide: true } : {}) });
    }
  };
  for (const kind of LIVE_KIND_ORDER) {
    const names = liveNames[kind];
    if (names) unmanaged(kind, names);
  }
  return sortItems(items);
}

const LIVE_KIND_ORDER: readonly LiveKind[] = [
  'connection',
  'tool',
  'toolkit',
  'knowledge_base',
  'voice_config',
  'model',
  'model_policy',
  'agent',
  'channel',
  'phone',
];
const KIND_ORDER = Object.fromEntries(LIVE_KIND_ORDER.map((k, i) => [k, i])) as Record<LiveKind, number>;
export function sortItems(items: DriftItem[]): DriftItem[] {
  return items.sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.state < b.state ? -1 : 1),
  );
}

/** Agent fields that list names: compared as sets (the platform may reorder them). */
const REFERENCE_FIELDS: ReadonlySet<string> = new Set([
  'tools',
  'collaborators',
  'knowledge_base',
  'toolkits',
  'context_variables',
  'tags',
]);

/** connection kind → the security_scheme `connections list -v` shows (ADK CONNECTION_KIND_SCHEME_MAPPING). */
const SCHEME_OF_KIND: Record<string, string> = {
  basic: 'basic_auth',
  bearer: 'bearer_token',
  api_key: 'api_key_auth',
  oauth_auth_code_flow: 'oauth2',
  oauth_auth_password_flow: 'oauth2',
  oauth_auth_client_credentials_flow: 'oauth2',
  oauth_auth_on_behalf_of_flow: 'oauth2',
  oauth_auth_token_exchange_flow: 'oauth2',
  oauth_auth_direct_access_flow: 'oauth2',
  key_value: 'key_value_creds',
  kv: 'key_value_creds',
};

function connectionDiffs(o: ExpectedObject, live: LiveState, show: Shower, stage?: 'draft' | 'live'): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const environments = isRecord(o.spec?.environments) ? o.spec.environments : {};
  const entries = live.connections.filter((c) => c.app_id === o.name);
  for (const env of stage ? [stage] : (['draft', 'live'] as const)) {
    const block = isRecord(environments[env]) ? environments[env] : undefined;
    const entry = entries.find((c) => c.environment === env);
    const field = `environments.${env}`;
    if (!block && !entry) continue;
    if (!block) {
      diffs.push({ field, expected: 'not configured', actual: 'configured' });
      continue;
    }
    if (!entry) {
      diffs.push({ field, expected: 'configured', actual: 'not configured' });
      continue;
    }
    if (typeof block.type === 'string' && entry.preference && block.type !== entry.preference)
      diffs.push({ field: `${field}.type`, expected: show.text(block.type), actual: show.text(entry.preference) });
    const scheme = typeof block.kind === 'string' ? SCHEME_OF_KIND[block.kind] : undefined;
    if (scheme && entry.security_scheme && scheme !== entry.security_scheme)
      diffs.push({ field: `${field}.kind`, expected: `${block.kind} (${scheme})`, actual: show.text(entry.security_scheme) });
    // Credentials are secrets: whether they are set is all that is compared (team connections).
    if (isRecord(block.credentials) && block.type !== 'member' && entry.credentials_entered === false)
      diffs.push({ field: `${field}.credentials`, expected: 'set', actual: 'not set' });
  }
  return diffs;
}

function pick(source: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source && k in source) out[k] = source[k];
  return out;
}

interface Shower {
  text(value: string): string;
  value(path: string, value: unknown): string;
}

const SECRET_PLACEHOLDER = /\$\{[A-Z][A-Z0-9_]*\}/;

function valueShower(options: CompareOptions): Shower {
  const credential = new Set(options.credentialKeys.map((k) => k.toLowerCase()));
  const masked = (path: string) => path.split('.').some((p) => credential.has(p.toLowerCase()));
  return {
    text: (value) => options.mask(value),
    value: (path, value) => {
      if (value === undefined) return '(not set)';
      if (masked(path)) return '<masked>';
      // One line per difference: newlines shown as ⏎.
      const text = (typeof value === 'string' ? value.trimEnd() : JSON.stringify(value)).replace(/\r?\n/g, '⏎');
      return options.mask(text.length > 160 ? `${text.slice(0, 157)}…` : text);
    },
  };
}

/**
 * Field-level differences of the keys Git sets. Empty values (absent, null, [], {}, '') are
 * equal; strings compare without trailing whitespace; reference lists as sets. A field whose Git
 * value holds a `${SECRET}` placeholder is not compared (the tenant holds the value); when both
 * sides hold a block, that is decided per field inside it.
 */
function fieldDiffs(expected: Record<string, unknown>, actual: Record<string, unknown>, show: Shower, prefix = ''): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const key of Object.keys(expected)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const e = expected[key];
    const a = actual[key];
    if (isRecord(e) && isRecord(a)) {
      diffs.push(...fieldDiffs(e, a, show, path));
      continue;
    }
    if (SECRET_PLACEHOLDER.test(JSON.stringify(e) ?? '')) continue;
    const isRef = !prefix && REFERENCE_FIELDS.has(key);
    if (canonical(e, isRef) !== canonical(a, isRef))
      diffs.push({ field: path, expected: show.value(path, e), actual: show.value(path, a) });
  }
  return diffs;
}

function canonical(value: unknown, asSet = false): string {
  return JSON.stringify(normalize(value, asSet)) ?? 'null';
}

function normalize(value: unknown, asSet = false): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value.replace(/\r\n/g, '\n').trimEnd();
  if (Array.isArray(value)) {
    if (!value.length) return null;
    const items = value.map((v) => normalize(v));
    return asSet ? items.map((v) => JSON.stringify(v)).sort() : items;
  }
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => [k, normalize(value[k])] as const)
      .filter(([, v]) => v !== null);
    return entries.length ? Object.fromEntries(entries) : null;
  }
  return value;
}

/** Counts by state (for exit codes, summaries and metrics): draft-differs is information, not drift. */
export function driftCount(items: readonly DriftItem[]): number {
  return items.filter((i) => i.state !== 'draft-differs').length;
}
