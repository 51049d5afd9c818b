import { extractPythonTools } from './python.js';
import { nameOption as opt, pathOption } from './argv.js';
import type {
  Anchor,
  DraftLive,
  Extracted,
  ObjectKindRecord,
  ResourceDecl,
  ResourceKind,
  ResourceRef,
  Stage,
  WxoKind,
  WxoKindRecord,
} from './types.js';

/**
 * The kind catalogue: one record per wxO kind — how a file of it is recognised, which schema
 * judges it, what it declares (its identity) and refers to (its dependencies), how the deploy
 * runner imports and removes it. The resource reader, the classifier, the `references` rule and
 * the planner read these records instead of keeping per-kind tables of their own, so a new ADK
 * release is a change of data here.
 */

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Collects declarations and references of one file, anchored where they are written. */
function collector() {
  const out: Extracted = { resources: [], refs: [] };
  const declare = (kind: ResourceKind, name: unknown, path: string[], variant?: string): ResourceDecl | undefined => {
    const n = str(name);
    if (!n) return undefined;
    const decl: ResourceDecl = { kind, name: n, anchor: { path } };
    if (variant) decl.variant = variant;
    out.resources.push(decl);
    return decl;
  };
  const refer = (from: ResourceDecl | undefined, kind: ResourceRef['kind'], name: unknown, via: string, anchor: Anchor) => {
    const n = str(name);
    // `{agent_id}`: filled from the flow's input at run time, not a name to resolve.
    if (from && n && !isDynamicName(n)) out.refs.push({ kind, name: n, from: { kind: from.kind, name: from.name }, via, anchor });
  };
  /** Every string of the list under `key`. */
  const referEach = (v: Record<string, unknown>, from: ResourceDecl | undefined, kind: ResourceKind, key: string) =>
    list(v[key]).forEach((n, i) => refer(from, kind, n, key, { path: [key, String(i)] }));
  return { out, declare, refer, referEach };
}

/** Flow nodes holding a flow of their own (flow_builder/utils.py get_all_tools_in_flow). */
const SUBFLOW_NODES = new Set(['foreach', 'loop', 'user_flow', 'userflow']);

/** `name:uuid` (how UI-exported flows name tools and agents) → name; anything else as it is. */
const nameOfId = (v: unknown): unknown =>
  typeof v === 'string' ? v.replace(/:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '') : v;

/** A name with a `{variable}` in it is a template the platform fills at run time (a flow's agent node: `{agent_id}`). */
export const isDynamicName = (name: string): boolean => /\{[A-Za-z_][A-Za-z0-9_.]*\}/.test(name);

/**
 * Tools every tenant has (the ADK's intrinsic tools: flow status and the flow scheduler's
 * get/delete; cli/commands/tools/tools_controller.py and examples/flow_builder/agent_scheduler).
 */
export const INTRINSIC_TOOLS: readonly string[] = [
  'i__get_flow_status_intrinsic_tool__',
  'i__get_schedule_intrinsic_tool__',
  'i__delete_schedule_intrinsic_tool__',
];

/** A file that declares one object by its `name` (and nothing it refers to). */
const named =
  (kind: ResourceKind, variantKey?: string) =>
  (v: Record<string, unknown>): Extracted => {
    const c = collector();
    c.declare(kind, v.name, ['name'], variantKey ? str(v[variantKey]) : undefined);
    return c.out;
  };

/**
 * The ADK names an OpenAPI tool after its operationId, every run of non-word characters and
 * underscores made one `_` (agent_builder/tools/openapi_tool.py: `re.sub(r'(\W|_)+', '_', id)`).
 */
export function openapiToolName(operationId: string): string {
  return operationId.replace(/(?:[^\p{L}\p{N}_]|_)+/gu, '_');
}

/** Why code-bundle agents are reported, not deployed (plan; `check` says the same in the agent schema). */
export const CODE_BUNDLE_NOT_DEPLOYED =
  'a code-bundle agent (kind: agent) is imported from its directory with the experimental `orchestrate agents import --experimental-package-root DIR`, which wxo-policy does not run; `agents import -f` refuses the file';

/** Top-level OpenAPI extension naming the connection (`-a`) of the spec's tools. */
export const OPENAPI_APP_ID_KEY = 'x-wxo-app-id';

const f = (unit: { path: string }) => pathOption('-f', unit.path);

/** File kinds in recognition order (see WxoKindRecord.recognise). */
export const WXO_KINDS: readonly WxoKindRecord[] = [
  {
    kind: 'flow',
    object: 'tool',
    word: 'flow',
    structured: true,
    recognise: {
      structure: (v) => {
        const spec = v.spec as Record<string, unknown> | undefined;
        return Boolean(spec && typeof spec === 'object' && (spec.kind === 'flow' || (v.nodes && v.edges)));
      },
    },
    schema: 'flow',
    extract: (v) => {
      const c = collector();
      const flow = c.declare('tool', obj(v.spec).name, ['spec', 'name'], 'flow');
      // As flow_builder/utils.py get_all_tools_in_flow reads it: tool and agent nodes, also inside
      // foreach / loop / user-flow nodes; `name:uuid` (UI exports) names `name`.
      const visit = (nodes: unknown, at: string[]) => {
        for (const [nodeName, node] of Object.entries(obj(nodes))) {
          const nodeSpec = obj(obj(node).spec);
          const here = [...at, 'nodes', nodeName];
          if (nodeSpec.kind === 'tool') c.refer(flow, 'tool', nameOfId(nodeSpec.tool), 'flow node', { path: [...here, 'spec', 'tool'] });
          if (nodeSpec.kind === 'agent')
            c.refer(flow, 'agent', nameOfId(nodeSpec.agent), 'flow node', { path: [...here, 'spec', 'agent'] });
          if (SUBFLOW_NODES.has(String(nodeSpec.kind))) visit(obj(node).nodes, here);
        }
      };
      visit(v.nodes, []);
      return c.out;
    },
    deploy: {
      phase: 'tools',
      rank: 4,
      secretsRendered: false,
      importArgv: (u) => ['tools', 'import', '-k', 'flow', ...f(u)],
      timeout: 'default',
      objects: 'first',
    },
  },
  {
    kind: 'langflow',
    object: 'tool',
    word: 'Langflow tool',
    structured: true,
    // A Langflow export: its graph under data.nodes / data.edges (a wxO flow has top-level nodes).
    recognise: { structure: (v) => Array.isArray(obj(v.data).nodes) && Array.isArray(obj(v.data).edges) },
    schema: 'langflow',
    extract: (v) => {
      const c = collector();
      c.declare('tool', v.name, ['name'], 'langflow');
      return c.out;
    },
    deploy: {
      phase: 'tools',
      rank: 4,
      secretsRendered: false,
      importArgv: (u) => ['tools', 'import', '-k', 'langflow', ...f(u), ...u.appIds.flatMap((a) => opt('-a', a))],
      timeout: 'default',
      objects: 'first',
      notDeployed: 'its connections (-a, key_value only) and requirements (-r) are not named in the file',
    },
  },
  {
    kind: 'openapi',
    object: 'tool',
    word: 'OpenAPI tools',
    objectWord: 'OpenAPI tool',
    structured: true,
    recognise: {
      structure: (v) => 'openapi' in v || 'swagger' in v || Boolean(v.paths && typeof v.paths === 'object' && !('spec_version' in v)),
    },
    schema: 'openapi',
    extract: (v) => {
      const c = collector();
      const tools: ResourceDecl[] = [];
      for (const [route, item] of Object.entries(obj(v.paths))) {
        for (const [method, op] of Object.entries(obj(item))) {
          if (method.toLowerCase() === 'head') continue; // the ADK makes no tool of HEAD
          const id = str(obj(op).operationId);
          const decl = id ? c.declare('tool', openapiToolName(id), ['paths', route, method, 'operationId'], 'openapi') : undefined;
          if (decl) tools.push(decl);
        }
      }
      // The spec has no standard place for the connection its tools use (the CLI takes it as
      // `-a`); `x-wxo-app-id` names it explicitly. Without it the deploy planner infers it from
      // the connection whose server_url equals the spec's server URL.
      for (const tool of tools) c.refer(tool, 'connection', v[OPENAPI_APP_ID_KEY], OPENAPI_APP_ID_KEY, { path: [OPENAPI_APP_ID_KEY] });
      return c.out;
    },
    deploy: {
      phase: 'tools',
      rank: 2,
      secretsRendered: false,
      importArgv: (u) => ['tools', 'import', '-k', 'openapi', ...f(u), ...u.appIds.slice(0, 1).flatMap((a) => opt('-a', a))],
      timeout: 'default',
      objects: 'each',
    },
  },
  {
    kind: 'channel',
    object: 'channel',
    word: 'channel',
    structured: true,
    recognise: { kindField: ['channel'], shape: (v) => 'channel' in v && 'name' in v },
    schema: 'channel',
    extract: named('channel', 'channel'),
    deploy: {
      phase: 'attachments',
      rank: 10,
      secretsRendered: true,
      importArgv: (u, stage) => ['channels', 'import', ...opt('--agent-name', u.agent!), '--env', stage, ...f(u)],
      timeout: 'default',
      objects: 'first',
      attach: 'required',
      variant: (d) => d.variant ?? 'webchat',
      // channels_controller.py:606-614: webchat is not created through the API (a warning, nothing stored)
      notDeployedWhen: (u) =>
        u.variant === 'webchat' ? 'webchat is available for every agent without a channel (orchestrate channels webchat embed)' : undefined,
    },
  },
  {
    kind: 'phone',
    object: 'phone',
    word: 'phone configuration',
    structured: true,
    recognise: { kindField: ['phone'], shape: (v) => 'service_provider' in v },
    schema: 'phone',
    extract: named('phone', 'service_provider'),
    deploy: {
      phase: 'attachments',
      rank: 11,
      secretsRendered: true,
      importArgv: (u) => ['phone', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
      attach: 'optional',
      variant: (d) => d.variant,
      // phone_controller.py:714-765: only Genesys Audio Connector configs attach to an agent, and an
      // existing attachment is an error — attach when the attachment is new, detach (--yes: the
      // command asks, phone_command.py:172) when it moves
      attachArgv: (u, stage) =>
        u.name && u.agent && u.variant === 'genesys_audio_connector'
          ? ['phone', 'attach', ...opt('-n', u.name), ...opt('--agent-name', u.agent), '--env', stage]
          : undefined,
      detachArgv: (u, stage) => ['phone', 'detach', ...opt('-n', u.name ?? ''), ...opt('--agent-name', u.agent), '--env', stage, '--yes'],
      notAttached: (u) =>
        u.agent && u.variant !== 'genesys_audio_connector'
          ? `only Genesys Audio Connector configs attach to an agent; a ${u.variant ?? 'phone'} config reaches ${u.agent} through its phone numbers (orchestrate phone add-number)`
          : undefined,
    },
  },
  {
    kind: 'voice_config',
    object: 'voice_config',
    word: 'voice configuration',
    structured: true,
    recognise: { shape: (v) => 'speech_to_text' in v || 'text_to_speech' in v },
    schema: 'voice_config',
    extract: named('voice_config'),
    deploy: {
      phase: 'importables',
      rank: 6,
      secretsRendered: true,
      importArgv: (u) => ['voice-configs', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
    },
  },
  {
    kind: 'model_policy',
    object: 'model_policy',
    word: 'model policy',
    structured: true,
    recognise: {
      shape: (v) =>
        Boolean(v.policy && typeof v.policy === 'object' && ('strategy' in (v.policy as object) || 'targets' in (v.policy as object))),
    },
    schema: 'model_policy',
    extract: named('model_policy'),
    deploy: {
      phase: 'importables',
      rank: 8,
      secretsRendered: true,
      importArgv: (u) => ['models', 'policy', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
      orderAfter: (v) =>
        list(obj(v.policy).targets)
          .map((t) => str(obj(t).model_name))
          .filter((t): t is string => Boolean(t))
          .map((name) => ({ kind: 'model' as const, name })),
    },
  },
  {
    kind: 'model',
    object: 'model',
    word: 'model',
    structured: true,
    recognise: { kindField: ['model'], shape: (v) => 'model_type' in v || 'provider_config' in v },
    schema: 'model',
    extract: (v) => {
      const c = collector();
      const model = c.declare('model', v.name, ['name']);
      // The provider's secrets live in a key_value connection, named by `app_id` (as `models export` writes it)
      c.refer(model, 'connection', v.app_id, 'app_id', { path: ['app_id'] });
      return c.out;
    },
    // models_controller.py:294-299: `-a` binds the connection (its connection_id) and stands in for the
    // provider's api_key; without it a provider that needs a secret is refused (model_provider_mapper.py:213-216)
    deploy: {
      phase: 'importables',
      rank: 7,
      secretsRendered: true,
      importArgv: (u) => ['models', 'import', ...f(u), ...u.appIds.slice(0, 1).flatMap((a) => opt('-a', a))],
      timeout: 'default',
      objects: 'first',
    },
  },
  {
    kind: 'connection',
    object: 'connection',
    word: 'connection',
    structured: true,
    recognise: { kindField: ['connection'], shape: (v) => 'environments' in v && 'app_id' in v },
    schema: 'connection',
    extract: (v) => {
      const c = collector();
      const decl = c.declare('connection', v.app_id, ['app_id']);
      // Per-stage configuration (DraftLive 'per-stage'): the environment blocks the file has.
      if (decl) decl.stages = STAGES.filter((e) => e in obj(v.environments));
      return c.out;
    },
    deploy: {
      phase: 'connections',
      rank: 0,
      secretsRendered: true,
      importArgv: (u) => ['connections', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
    },
  },
  {
    kind: 'agent',
    object: 'agent',
    word: 'agent',
    structured: true,
    recognise: {
      kindField: ['native', 'external', 'assistant', 'agent'],
      shape: (v) =>
        'name' in v && ('llm' in v || 'instructions' in v || 'collaborators' in v || 'tools' in v || 'style' in v || 'api_url' in v),
    },
    schema: 'agent',
    extract: (v) => {
      const c = collector();
      const agentKind = str(v.kind) ?? 'native';
      const agent = c.declare('agent', v.name, ['name'], agentKind);
      c.referEach(v, agent, 'tool', 'tools');
      c.referEach(v, agent, 'agent', 'collaborators');
      c.referEach(v, agent, 'knowledge_base', 'knowledge_base');
      c.referEach(v, agent, 'toolkit', 'toolkits');
      c.refer(agent, 'voice_config', v.voice_configuration, 'voice_configuration', { path: ['voice_configuration'] });
      c.refer(agent, 'tool', v.custom_join_tool, 'custom_join_tool', { path: ['custom_join_tool'] });
      list(v.guidelines).forEach((g, i) => c.refer(agent, 'tool', obj(g).tool, 'guidelines', { path: ['guidelines', String(i), 'tool'] }));
      if (agentKind !== 'native') c.refer(agent, 'connection', v.app_id, 'app_id', { path: ['app_id'] });
      return c.out;
    },
    deploy: {
      phase: 'agents',
      rank: 9,
      secretsRendered: true,
      importArgv: (u) => ['agents', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
      variant: (d) => d.variant ?? 'native',
      // agents_command.py:23-91 / agents_controller.py:326-344: a code-bundle agent (`kind: agent`,
      // deployment.code_bundle) is its directory, zipped and uploaded by the hidden, experimental
      // `agents import --experimental-package-root DIR`; `agents import -f` refuses the file
      notDeployedWhen: (u) => (u.variant === 'agent' ? CODE_BUNDLE_NOT_DEPLOYED : undefined),
    },
  },
  {
    kind: 'knowledge_base',
    object: 'knowledge_base',
    word: 'knowledge base',
    structured: true,
    recognise: { kindField: ['knowledge_base'] },
    schema: 'knowledge_base',
    extract: (v) => {
      const c = collector();
      const kb = c.declare('knowledge_base', v.name, ['name']);
      list(v.documents).forEach((d, i) => {
        const path = typeof d === 'string' ? d : obj(d).path;
        c.refer(kb, 'file', path, 'documents', {
          path: typeof d === 'string' ? ['documents', String(i)] : ['documents', String(i), 'path'],
        });
      });
      list(obj(v.conversational_search_tool).index_config).forEach((entry, i) =>
        c.refer(kb, 'connection', obj(entry).app_id, 'index_config', {
          path: ['conversational_search_tool', 'index_config', String(i), 'app_id'],
        }),
      );
      return c.out;
    },
    deploy: {
      phase: 'knowledge_bases',
      rank: 5,
      secretsRendered: true,
      importArgv: (u) => ['knowledge-bases', 'import', ...f(u)],
      timeout: 'knowledge_base',
      objects: 'first',
      reads: 'documents',
    },
  },
  {
    kind: 'toolkit',
    object: 'toolkit',
    word: 'toolkit',
    structured: true,
    recognise: { kindField: ['mcp', 'python'] },
    schema: 'toolkit',
    extract: (v) => {
      const c = collector();
      const toolkit = c.declare('toolkit', v.name, ['name'], str(v.kind));
      c.referEach(v, toolkit, 'connection', 'connections');
      return c.out;
    },
    deploy: {
      phase: 'tools',
      rank: 3,
      secretsRendered: true,
      importArgv: (u) => ['toolkits', 'import', ...f(u)],
      timeout: 'default',
      objects: 'first',
      variant: (d) => d.variant,
      reads: 'package_root',
      // toolkit_controller.py:207-210: an existing MCP toolkit is never updated (python ones are)
      replaceArgv: (u) => (u.variant === 'python' || !u.name ? undefined : ['toolkits', 'remove', ...opt('-n', u.name)]),
    },
  },
  {
    kind: 'python_tool',
    object: 'tool',
    word: 'Python tool',
    structured: false,
    extract: (_v, text) => extractPythonTools(text),
    deploy: {
      phase: 'tools',
      rank: 1,
      secretsRendered: false,
      // A file of Python flows only (`@flow`, no `@tool`) is a flow import: the ADK compiles it.
      importArgv: (u) =>
        u.variant === 'flow'
          ? ['tools', 'import', '-k', 'flow', ...f(u)]
          : [
              'tools',
              'import',
              '-k',
              'python',
              ...f(u),
              ...(u.requirements ? pathOption('-r', u.requirements) : []),
              ...(u.packageRoot ? pathOption('-p', u.packageRoot) : []),
              ...u.appIds.flatMap((a) => opt('-a', a)),
            ],
      timeout: 'default',
      objects: 'each',
    },
  },
];

const STAGES: readonly Stage[] = ['draft', 'live'];
/** `agents deploy` copies a native agent's draft to live; external and assistant agents have no live version of their own. */
const RELEASED_AGENT: DraftLive = {
  how: 'released',
  releaseArgv: (o) => ((o.variant ?? 'native') === 'native' ? ['agents', 'deploy', ...opt('-n', o.name)] : undefined),
};
const WITH_AGENTS: DraftLive = { how: 'with-agents' };

/** The name the ADK stores a model or policy under: its `name` with the prefix, unless it has it. */
export const storedName = (prefix: string, name: string) => (name.startsWith(prefix) ? name : `${prefix}${name}`);

/** Platform object kinds in removal order. */
export const OBJECT_KINDS: readonly ObjectKindRecord[] = [
  {
    kind: 'channel',
    word: 'channel',
    deploy: {
      removeArgv: (o, stage) => [
        'channels',
        'delete',
        ...opt('--agent-name', o.agent ?? ''),
        '--env',
        stage,
        '--type',
        o.variant ?? 'webchat',
        ...opt('--name', o.name),
        '--yes',
      ],
      removalRank: 0,
      draftLive: { how: 'stage-named' },
      timeout: 'default',
    },
  },
  // phone_command.py:76-87: `phone delete` (there is no `phone remove`) asks unless --yes
  {
    kind: 'phone',
    word: 'phone configuration',
    deploy: {
      removeArgv: (o) => ['phone', 'delete', ...opt('-n', o.name), '--yes'],
      removalRank: 1,
      draftLive: { how: 'stage-named' },
      timeout: 'default',
    },
  },
  {
    kind: 'agent',
    word: 'agent',
    provided: 'agents',
    deploy: {
      removeArgv: (o) => ['agents', 'remove', ...opt('-n', o.name), '-k', o.variant ?? 'native'],
      removalRank: 2,
      draftLive: RELEASED_AGENT,
      timeout: 'default',
    },
  },
  // models_controller.py:279-280 / :465-466: stored as virtual-model/… and virtual-policy/…, removed by that name
  {
    kind: 'model_policy',
    word: 'model policy',
    deploy: {
      removeArgv: (o) => ['models', 'policy', 'remove', ...opt('-n', storedName('virtual-policy/', o.name))],
      removalRank: 3,
      draftLive: WITH_AGENTS,
      timeout: 'default',
    },
  },
  {
    kind: 'model',
    word: 'model',
    deploy: {
      removeArgv: (o) => ['models', 'remove', ...opt('-n', storedName('virtual-model/', o.name))],
      removalRank: 4,
      draftLive: WITH_AGENTS,
      timeout: 'default',
    },
  },
  {
    kind: 'voice_config',
    word: 'voice configuration',
    provided: 'voice_configs',
    deploy: {
      removeArgv: (o) => ['voice-configs', 'remove', ...opt('-n', o.name)],
      removalRank: 5,
      draftLive: WITH_AGENTS,
      timeout: 'default',
    },
  },
  {
    kind: 'knowledge_base',
    word: 'knowledge base',
    provided: 'knowledge_bases',
    deploy: {
      removeArgv: (o) => ['knowledge-bases', 'remove', ...opt('-n', o.name)],
      removalRank: 6,
      draftLive: { how: 'tenant-wide' },
      timeout: 'knowledge_base',
    },
  },
  {
    kind: 'tool',
    word: 'tool',
    provided: 'tools',
    intrinsic: INTRINSIC_TOOLS,
    deploy: { removeArgv: (o) => ['tools', 'remove', ...opt('-n', o.name)], removalRank: 7, draftLive: WITH_AGENTS, timeout: 'default' },
  },
  {
    kind: 'toolkit',
    word: 'toolkit',
    provided: 'toolkits',
    deploy: { removeArgv: (o) => ['toolkits', 'remove', ...opt('-n', o.name)], removalRank: 8, draftLive: WITH_AGENTS, timeout: 'default' },
  },
  {
    kind: 'connection',
    word: 'connection',
    provided: 'connections',
    deploy: {
      removeArgv: (o) => ['connections', 'remove', ...opt('-a', o.name)],
      removalRank: 9,
      draftLive: { how: 'per-stage' },
      timeout: 'default',
    },
  },
];

const BY_KIND = new Map(WXO_KINDS.map((r) => [r.kind, r]));
const BY_OBJECT = new Map(OBJECT_KINDS.map((r) => [r.kind, r]));

export function isWxoKind(kind: string): kind is WxoKind {
  return BY_KIND.has(kind as WxoKind);
}

export function wxoKind(kind: WxoKind): WxoKindRecord {
  return BY_KIND.get(kind)!;
}

export function objectKind(kind: ResourceKind): ObjectKindRecord {
  return BY_OBJECT.get(kind)!;
}

/** The word for a wxO kind, an object kind, or 'file' in messages. */
export function kindWord(kind: string): string {
  return BY_KIND.get(kind as WxoKind)?.word ?? BY_OBJECT.get(kind as ResourceKind)?.word ?? kind;
}

/** wxo-policy's own files, recognised by their name wherever they are. */
export type OwnKind = 'tenant' | 'values' | 'policy';
const OWN_FILES: Record<string, OwnKind> = { 'tenant.yaml': 'tenant', 'values.yaml': 'values', 'wxo-policy.yaml': 'policy' };

/** Partner-catalogue fields (ADK cli/commands/partners/offering/types.py CATALOG_ONLY_FIELDS). */
const CATALOG_ONLY_FIELDS = [
  'publisher',
  'language_support',
  'icon',
  'category',
  'supported_apps',
  'part_number',
  'scope',
  'related_links',
  'billing',
];

/**
 * Files of the ADK's world that are not wxO resources, however much they look like one:
 * evaluation configs (`orchestrate evaluations … --config`: test_paths, auth_config — their
 * provider_config is not a model's), and external-agent inputs of `evaluations validate-external`
 * and partner offerings (catalogue fields, no spec_version) — not `agents import` specs.
 */
const NOT_WXO: readonly ((v: Record<string, unknown>) => boolean)[] = [
  (v) => 'test_paths' in v || 'auth_config' in v || 'llm_user_config' in v,
  (v) => !('spec_version' in v) && CATALOG_ONLY_FIELDS.some((k) => k in v),
];

/**
 * Recognises a file by its content, the way `orchestrate … import` would interpret it (paths the
 * policy maps to `auto`). Undefined: an ordinary YAML/JSON file (syntax is still checked).
 */
export function detectKind(value: unknown, path: string): WxoKind | OwnKind | undefined {
  const own = OWN_FILES[path.slice(path.lastIndexOf('/') + 1)];
  if (own) return own;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (NOT_WXO.some((test) => test(v))) return undefined;
  for (const r of WXO_KINDS) if (r.recognise?.structure?.(v)) return r.kind;
  if (typeof v.kind === 'string') for (const r of WXO_KINDS) if (r.recognise?.kindField?.includes(v.kind)) return r.kind;
  for (const r of WXO_KINDS) if (r.recognise?.shape?.(v)) return r.kind;
  return undefined;
}

/**
 * The kind of a parsed file: what the policy's `files` mapping says (`setting`), recognised by
 * content for `auto`. Among the formats of one object kind, content recognised by its structure
 * wins over the path: a flow or Langflow export under `tools/` is not an OpenAPI document.
 */
export function resolveKind(setting: string, value: unknown, path: string): WxoKind | OwnKind | undefined {
  if (setting === 'auto') return detectKind(value, path);
  if (!isWxoKind(setting)) return setting as OwnKind;
  const record = wxoKind(setting);
  if (!record.structured || !value || typeof value !== 'object' || Array.isArray(value)) return setting;
  const byStructure = WXO_KINDS.find((r) => r.recognise?.structure?.(value as Record<string, unknown>));
  return byStructure && byStructure.object === record.object ? byStructure.kind : setting;
}

/** Declarations and references of one file of a wxO kind. Pure: parsed value (and text, for Python) in. */
export function extractResources(kind: string, value: unknown, text: string): Extracted {
  const record = BY_KIND.get(kind as WxoKind);
  return record ? record.extract(obj(value), text) : { resources: [], refs: [] };
}
