import { stripAnsi } from '../deploy/runner.js';
import { ADK_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';

/**
 * What the tenant holds, as the `orchestrate` CLI (ADK 2.9) tells it — plain data, parsed from
 * the CLI's answers by pure functions:
 *
 * - `connections list -v`: a JSON array of ListConfigsResponse, one entry per app and
 *   environment (`app_id`, `environment` draft|live, `preference` team|member, `security_scheme`,
 *   `auth_type`, `credentials_entered`);
 * - `tools list -v`, `toolkits list -v`, `knowledge-bases list -v`: JSON arrays of specs (`name` …);
 * - `agents list -v`: `{"native": [...], "external": [...], "assistant": [...]}` (references as ids);
 * - `agents export -n A -k K --agent-only -o A.yaml`: the agent's YAML with names resolved;
 * - `voice-configs list -v`: a JSON array of VoiceConfiguration dumps (voice_configurations_controller.py:78-84);
 * - `models list --raw`: one line per model, `- <markers> <name>: <description>`, custom models
 *   (`virtual-model/…`) and model policies (`virtual-policy/…`) among the platform's (models_controller.py:222-250);
 * - `phone list-configs -v`: a JSON array of the phone channels, or the line "No phone configs found"
 *   (phone_controller.py:425-456);
 * - `channels list-channels --agent-name A --env E -v`: a JSON array of that agent environment's
 *   channels, or "No channels found" (channels_controller.py:213-262).
 *
 * The CLI prints log lines (warnings, `[ERROR]` lines for records it cannot parse) around the
 * JSON, in colour even without a terminal (ADK 2.9's logger always colours): the JSON is located,
 * not assumed.
 */
export type LiveKind =
  'connection' | 'tool' | 'toolkit' | 'knowledge_base' | 'agent' | 'voice_config' | 'model' | 'model_policy' | 'channel' | 'phone';
export const LIVE_KINDS: readonly LiveKind[] = [
  'connection',
  'tool',
  'toolkit',
  'knowledge_base',
  'agent',
  'voice_config',
  'model',
  'model_policy',
  'channel',
  'phone',
];

/** A listed channel of one agent environment. */
export interface LiveChannel {
  agent: string;
  env: string;
  name: string;
  /** Its channel type (twilio_whatsapp, byo_slack …). */
  type?: string;
}

export interface LiveConnection {
  app_id: string;
  environment?: string;
  preference?: string;
  security_scheme?: string;
  auth_type?: string;
  credentials_entered?: boolean;
}

export interface LiveAgent {
  name: string;
  kind: 'native' | 'external' | 'assistant';
  /** The `list -v` spec (references as ids). */
  spec: Record<string, unknown>;
}

export interface LiveState {
  connections: LiveConnection[];
  tools: Record<string, unknown>[];
  toolkits: Record<string, unknown>[];
  knowledgeBases: Record<string, unknown>[];
  agents: LiveAgent[];
  /** Agent name → its `export --agent-only` spec (names resolved). Only the agents Git defines. */
  exports: Record<string, Record<string, unknown>>;
  /** Read with `listable` only (absent: not read, those kinds are not compared). */
  voiceConfigs?: Record<string, unknown>[];
  /** Custom models and model policies by stored name (`virtual-model/…`, `virtual-policy/…`), with their description. */
  models?: { name: string; description: string }[];
  phoneConfigs?: Record<string, unknown>[];
  /** The channels of the agent environments asked for. */
  channels?: LiveChannel[];
}

export class AnswerError extends Error {
  override name = 'AnswerError';
}

/**
 * The first JSON value in a CLI's output: the first line that starts with `{` or `[`, read up to
 * its matching bracket (strings and escapes respected). Throws AnswerError when there is none.
 */
export function extractJson(output: string): unknown {
  const text = stripAnsi(output);
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      const start = offset + (line.length - trimmed.length);
      const end = matchingBracket(text, start);
      if (end > start) {
        try {
          return JSON.parse(text.slice(start, end + 1));
        } catch {
          /* not JSON after all: keep looking */
        }
      }
    }
    offset += line.length + 1;
  }
  throw new AnswerError('no JSON in the answer');
}

function matchingBracket(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (!stack.length) return i;
    }
  }
  return -1;
}

const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

function arrayOfRecords(value: unknown, what: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new AnswerError(`${what}: expected a JSON array`);
  return value.filter(isRecord);
}

/** `connections list -v`. */
export function parseConnections(output: string): LiveConnection[] {
  return arrayOfRecords(extractJson(output), 'connections list -v')
    .filter((c) => typeof c.app_id === 'string' && c.app_id)
    .map((c) => {
      const out: LiveConnection = { app_id: c.app_id as string };
      for (const k of ['environment', 'preference', 'security_scheme', 'auth_type'] as const)
        if (typeof c[k] === 'string') out[k] = c[k] as string;
      if (typeof c.credentials_entered === 'boolean') out.credentials_entered = c.credentials_entered;
      return out;
    });
}

/** `tools list -v`, `toolkits list -v`, `knowledge-bases list -v`: named specs. */
export function parseNamedList(output: string, what: string): Record<string, unknown>[] {
  return arrayOfRecords(extractJson(output), what).filter((r) => typeof r.name === 'string' && r.name);
}

/** `agents list -v`: every kind's agents (a kind left out by `-k` is null). */
export function parseAgents(output: string): LiveAgent[] {
  const value = extractJson(output);
  if (!isRecord(value)) throw new AnswerError('agents list -v: expected a JSON object of native / external / assistant');
  const out: LiveAgent[] = [];
  for (const kind of ['native', 'external', 'assistant'] as const) {
    const list = value[kind];
    if (list === null || list === undefined) continue;
    for (const spec of arrayOfRecords(list, `agents list -v (${kind})`))
      if (typeof spec.name === 'string' && spec.name) out.push({ name: spec.name, kind, spec });
  }
  return out;
}

/** The YAML `agents export --agent-only` wrote. */
export function parseAgentExport(text: string): Record<string, unknown> {
  const parsed = readYaml(text, ADK_YAML_OPTIONS);
  if (parsed.errors.length || !isRecord(parsed.value)) throw new AnswerError('agents export --agent-only: the file is not a YAML mapping');
  return parsed.value;
}

/** `voice-configs list -v`. */
export function parseVoiceConfigs(output: string): Record<string, unknown>[] {
  return parseNamedList(output, 'voice-configs list -v');
}

/** A JSON array, or the line the controller logs instead when there is nothing ("No … found"). */
function listOrNothing(output: string, nothing: RegExp, what: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = extractJson(output);
  } catch (e) {
    if (e instanceof AnswerError && nothing.test(stripAnsi(output))) return [];
    throw e;
  }
  return arrayOfRecords(value, what);
}

/** `phone list-configs -v`. */
export function parsePhoneConfigs(output: string): Record<string, unknown>[] {
  return listOrNothing(output, /No phone configs found/, 'phone list-configs -v').filter((r) => typeof r.name === 'string' && r.name);
}

/** `channels list-channels --agent-name A --env E -v`. */
export function parseChannels(output: string, agent: string, env: string): LiveChannel[] {
  return listOrNothing(output, /No channels found/, 'channels list-channels -v')
    .filter((r) => typeof r.name === 'string' && r.name)
    .map((r) => {
      const type =
        typeof r.channel === 'string'
          ? r.channel
          : typeof r.channel_type === 'string'
            ? r.channel_type
            : typeof r.type === 'string'
              ? r.type
              : undefined;
      return { agent, env, name: r.name as string, ...(type ? { type } : {}) };
    });
}

/**
 * `models list --raw`: the custom models and model policies (the names a repository can define).
 * Lines are `- <markers> <name>: <description>`; long descriptions wrap onto lines of their own.
 */
export function parseModelsRaw(output: string): { name: string; description: string }[] {
  const text = stripAnsi(output);
  if (!/Available Models:/.test(text)) throw new AnswerError('models list --raw: no "Available Models:" list in the answer');
  const out: { name: string; description: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^- [\s\u2714\u2605\u25c6\u2716]*(virtual-(?:model|policy)\/\S+?):(?:\s(.*))?$/.exec(line.trimEnd());
    if (m) out.push({ name: m[1]!, description: (m[2] ?? '').trim() });
  }
  return out;
}
