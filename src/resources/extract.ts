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
    case 'openapi':
      for (const [route, item] of Object.entries(obj(v.paths))) {
        for (const [method, op] of Object.entries(obj(item))) {
          const id = str(obj(op).operationId);
          if (id) declare('tool', openapiToolName(id), ['paths', route, method, 'operationId'], 'openapi');
        }
      }
      break;
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

/**
 * Python tools: functions decorated with `@tool` (name from `name="…"` when given), and the
 * connections they expect (`app_id="…"`).
 */
const TOOL_DEF = /^[ \t]*@tool\b(\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\))?\s*\n(?:[ \t]*@[^\n]*\n)*[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm;
const APP_ID = /\bapp_id\s*=\s*["']([^"']+)["']/g;

export function extractPythonTools(text: string): Extracted {
  const out: Extracted = { resources: [], refs: [] };
  for (const m of text.matchAll(TOOL_DEF)) {
    const args = m[2] ?? '';
    const explicit = /\bname\s*=\s*["']([^"']+)["']/.exec(args)?.[1];
    out.resources.push({ kind: 'tool', name: explicit ?? m[3]!, variant: 'python', anchor: { offset: m.index! + m[0].lastIndexOf(m[3]!) } });
  }
  for (const tool of out.resources) {
    for (const m of text.matchAll(APP_ID)) {
      out.refs.push({ kind: 'connection', name: m[1]!, from: { kind: 'tool', name: tool.name }, via: 'app_id', anchor: { offset: m.index! } });
    }
  }
  return out;
}
