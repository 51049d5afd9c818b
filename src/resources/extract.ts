import type { FileKind } from '../policy/model.js';

/**
 * What a file defines and what it refers to, by kind and name: the shared vocabulary of the
 * `references` rule and the deploy planner. Pure: parsed value (and text, for Python) in, names out.
 */
export type ResourceKind =
  | 'agent'
  | 'tool'
  | 'knowledge_base'
  | 'connection'
  | 'toolkit'
  | 'voice_config'
  | 'model'
  | 'model_policy'
  | 'channel'
  | 'phone';

/** Where in the file: a path into the parsed document, or an offset into the text. */
export type Anchor = { path: string[] } | { offset: number };

export interface ResourceDecl {
  kind: ResourceKind;
  name: string;
  /** Finer kind: agent native/external/assistant; tool python/openapi/flow; toolkit mcp/python. */
  variant?: string;
  anchor: Anchor;
}

export interface ResourceRef {
  kind: ResourceKind | 'file';
  name: string;
  /** The resource that holds the reference. */
  from: { kind: ResourceKind; name: string };
  /** How it is referenced (tools, collaborators, app_id, documents …), for messages. */
  via: string;
  anchor: Anchor;
}

export interface Extracted {
  resources: ResourceDecl[];
  refs: ResourceRef[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function extractResources(kind: FileKind, value: unknown, text: string): Extracted {
  const out: Extracted = { resources: [], refs: [] };
  const v = obj(value);
  const declare = (k: ResourceKind, name: unknown, path: string[], variant?: string) => {
    const n = str(name);
    if (!n) return undefined;
    const decl: ResourceDecl = { kind: k, name: n, anchor: { path } };
    if (variant) decl.variant = variant;
    out.resources.push(decl);
    return decl;
  };
  const refer = (from: ResourceDecl | undefined, k: ResourceRef['kind'], name: unknown, via: string, path: string[]) => {
    const n = str(name);
    if (from && n) out.refs.push({ kind: k, name: n, from: { kind: from.kind, name: from.name }, via, anchor: { path } });
  };
  const referEach = (from: ResourceDecl | undefined, k: ResourceRef['kind'], key: string) =>
    list(v[key]).forEach((n, i) => refer(from, k, n, key, [key, String(i)]));

  switch (kind) {
    case 'agent': {
      const agentKind = str(v.kind) ?? 'native';
      const agent = declare('agent', v.name, ['name'], agentKind);
      referEach(agent, 'tool', 'tools');
      referEach(agent, 'agent', 'collaborators');
      referEach(agent, 'knowledge_base', 'knowledge_base');
      referEach(agent, 'toolkit', 'toolkits');
      refer(agent, 'voice_config', v.voice_configuration, 'voice_configuration', ['voice_configuration']);
      refer(agent, 'tool', v.custom_join_tool, 'custom_join_tool', ['custom_join_tool']);
      list(v.guidelines).forEach((g, i) => refer(agent, 'tool', obj(g).tool, 'guidelines', ['guidelines', String(i), 'tool']));
      if (agentKind !== 'native') refer(agent, 'connection', v.app_id, 'app_id', ['app_id']);
      break;
    }
    case 'knowledge_base': {
      const kb = declare('knowledge_base', v.name, ['name']);
      list(v.documents).forEach((d, i) => {
        const path = typeof d === 'string' ? d : obj(d).path;
        refer(kb, 'file', path, 'documents', typeof d === 'string' ? ['documents', String(i)] : ['documents', String(i), 'path']);
      });
      list(obj(v.conversational_search_tool).index_config).forEach((entry, i) =>
        refer(kb, 'connection', obj(entry).app_id, 'index_config', ['conversational_search_tool', 'index_config', String(i), 'app_id']),
      );
      break;
    }
    case 'connection':
      declare('connection', v.app_id, ['app_id']);
      break;
    case 'toolkit': {
      const toolkit = declare('toolkit', v.name, ['name'], str(v.kind));
      referEach(toolkit, 'connection', 'connections');
      break;
    }
    case 'flow': {
      const spec = obj(v.spec);
      const flow = declare('tool', spec.name, ['spec', 'name'], 'flow');
      for (const [nodeName, node] of Object.entries(obj(v.nodes))) {
        const nodeSpec = obj(obj(node).spec);
        if (nodeSpec.kind === 'tool') refer(flow, 'tool', nodeSpec.tool, 'flow node', ['nodes', nodeName, 'spec', 'tool']);
        if (nodeSpec.kind === 'agent') refer(flow, 'agent', nodeSpec.agent, 'flow node', ['nodes', nodeName, 'spec', 'agent']);
      }
      break;
    }
    case 'openapi': {
      const tools: ResourceDecl[] = [];
      for (const [route, item] of Object.entries(obj(v.paths))) {
        for (const [method, op] of Object.entries(obj(item))) {
          const id = str(obj(op).operationId);
          const decl = id ? declare('tool', openapiToolName(id), ['paths', route, method, 'operationId'], 'openapi') : undefined;
          if (decl) tools.push(decl);
        }
      }
      // The spec has no standard place for the connection its tools use (the CLI takes it as
      // `-a`); `x-wxo-app-id` names it explicitly. Without it the deploy planner infers it from
      // the connection whose server_url equals the spec's server URL.
      for (const tool of tools) refer(tool, 'connection', v[OPENAPI_APP_ID_KEY], OPENAPI_APP_ID_KEY, [OPENAPI_APP_ID_KEY]);
      break;
    }
    case 'python_tool':
      return extractPythonTools(text);
    case 'voice_config':
      declare('voice_config', v.name, ['name']);
      break;
    case 'model':
      declare('model', v.name, ['name']);
      break;
    case 'model_policy':
      declare('model_policy', v.name, ['name']);
      break;
    case 'channel':
      declare('channel', v.name, ['name'], str(v.channel));
      break;
    case 'phone':
      declare('phone', v.name, ['name'], str(v.service_provider));
      break;
    default:
      break;
  }
  return out;
}

/** The ADK names an OpenAPI tool after its operationId. */
export function openapiToolName(operationId: string): string {
  return operationId.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Top-level OpenAPI extension naming the connection (`-a`) of the spec's tools. */
export const OPENAPI_APP_ID_KEY = 'x-wxo-app-id';

/**
 * Python tools: functions decorated with `@tool` (name from `name="…"` when given), and the
 * connections each of them expects (`app_id="…"`, normally in `expected_credentials` of its
 * decorator). An `app_id` belongs to the tool whose decorator or body holds it; one that appears
 * before the first tool (a module constant) cannot be attributed and belongs to every tool.
 */
const TOOL_DECORATOR = /^[ \t]*@tool\b/gm;
const AFTER_DECORATOR = /^\s*\n(?:[ \t]*@[^\n]*\n)*[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/;
const APP_ID = /\bapp_id\s*=\s*["']([^"']+)["']/g;

export function extractPythonTools(text: string): Extracted {
  const out: Extracted = { resources: [], refs: [] };
  const found: { name: string; start: number; nameOffset: number }[] = [];
  for (const m of text.matchAll(TOOL_DECORATOR)) {
    let cursor = m.index! + m[0].length;
    let args = '';
    const open = /^[ \t]*\(/.exec(text.slice(cursor));
    if (open) {
      const close = matchingParen(text, cursor + open[0].length - 1);
      if (close < 0) continue;
      args = text.slice(cursor + open[0].length, close);
      cursor = close + 1;
    }
    const def = AFTER_DECORATOR.exec(text.slice(cursor));
    if (!def) continue;
    const explicit = /\bname\s*=\s*["']([^"']+)["']/.exec(stripNested(args))?.[1];
    const nameOffset = cursor + def.index + def[0].length - def[1]!.length;
    found.push({ name: explicit ?? def[1]!, start: m.index!, nameOffset });
  }
  for (const tool of found) out.resources.push({ kind: 'tool', name: tool.name, variant: 'python', anchor: { offset: tool.nameOffset } });
  for (const m of text.matchAll(APP_ID)) {
    const offset = m.index!;
    // The tool whose region (decorator start up to the next tool's decorator) holds the app_id.
    let owner = -1;
    for (let i = 0; i < found.length; i++) if (found[i]!.start <= offset) owner = i;
    const owners = owner < 0 ? found : [found[owner]!];
    for (const tool of owners) {
      if (out.refs.some((r) => r.from.name === tool.name && r.name === m[1])) continue;
      out.refs.push({ kind: 'connection', name: m[1]!, from: { kind: 'tool', name: tool.name }, via: 'app_id', anchor: { offset } });
    }
  }
  return out;
}

/** Index of the `)` closing the `(` at `open`, skipping string literals; -1 when unbalanced. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const end = triple ? text.indexOf(c.repeat(3), i + 3) : findQuoteEnd(text, i);
      if (end < 0) return -1;
      i = triple ? end + 2 : end;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

function findQuoteEnd(text: string, start: number): number {
  const q = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === q) return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

/** Decorator arguments without nested calls, so `name=` of ExpectedCredentials(...) is not the tool's. */
function stripNested(args: string): string {
  let out = '';
  let depth = 0;
  for (const c of args) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
