/**
 * The vocabulary of the kind catalogue (catalogue.ts): what a wxO file defines and refers to, and
 * what a record of one kind says about it. Pure data types: no module below the catalogue.
 */

/** A platform object kind: what `orchestrate` stores under a name. */
export type ResourceKind =
  'agent' | 'tool' | 'knowledge_base' | 'connection' | 'toolkit' | 'voice_config' | 'model' | 'model_policy' | 'channel' | 'phone';

/** A wxO file kind: one `orchestrate … import` each (the policy's `files: kind:` word, the deploy unit kind). */
export type WxoKind =
  | 'connection'
  | 'python_tool'
  | 'openapi'
  | 'flow'
  | 'langflow'
  | 'toolkit'
  | 'knowledge_base'
  | 'voice_config'
  | 'model'
  | 'model_policy'
  | 'channel'
  | 'phone'
  | 'agent';

/** Where in the file: a path into the parsed document, or an offset into the text. */
export type Anchor = { path: string[] } | { offset: number };

export interface ResourceDecl {
  kind: ResourceKind;
  name: string;
  /** Finer kind: agent native/external/assistant; tool python/openapi/flow; toolkit mcp/python. */
  variant?: string;
  /** Kinds configured per stage (DraftLive 'per-stage': connections): the stages its file has a block for. */
  stages?: Stage[];
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

/** Identity and dependencies of one file: what it declares, what it refers to. */
export interface Extracted {
  resources: ResourceDecl[];
  refs: ResourceRef[];
}

/** Deploy phases, in deploy order (deploy/plan.ts says why; the planner's vocabulary, defined here so records can name theirs). */
export type DeployPhase = 'connections' | 'tools' | 'knowledge_bases' | 'importables' | 'agents' | 'deploy' | 'attachments' | 'removals';

/** What an import argv needs of a deploy unit (deploy/resources.ts `Unit` has all of it). */
export interface ImportSubject {
  /** What the plan calls it (an app_id, agent name, …); every deploy unit has one. */
  name?: string;
  path: string;
  /** Agent kind, channel type, toolkit kind, phone service provider; python_tool: `flow` for a file of Python flows (`@flow`, imported with `-k flow`). */
  variant?: string;
  appIds: string[];
  requirements?: string;
  packageRoot?: string;
  /** channel / phone: the agent it is attached to. */
  agent?: string;
}

/** What a removal argv needs of a platform object. */
export interface RemoveSubject {
  name: string;
  variant?: string;
  agent?: string;
}

export type Stage = 'draft' | 'live';

/** Policy `references.provided` lists (platform-provided names, no file needed). */
export type ProvidedKey = 'tools' | 'agents' | 'knowledge_bases' | 'connections' | 'toolkits' | 'voice_configs';

/** One wxO file kind: how it is recognised, validated, identified, and imported. */
export interface WxoKindRecord {
  kind: WxoKind;
  /** The platform object kind its declarations are. */
  object: ResourceKind;
  /** For plans and messages ("Python tool", "OpenAPI tools"). */
  word: string;
  /** One object of it, when that reads differently ("OpenAPI tool"). */
  objectWord?: string;
  /** Parsed as YAML/JSON (every kind but Python tools). */
  structured: boolean;
  /**
   * Content recognition for paths the policy maps to `auto`: `structure` (tested first, in
   * catalogue order), the values of a top-level `kind:` key, then `shape` (catalogue order).
   */
  recognise?: {
    structure?: (v: Record<string, unknown>) => boolean;
    kindField?: readonly string[];
    shape?: (v: Record<string, unknown>) => boolean;
  };
  /** Name of its JSON Schema in schemas/ (undefined: none). */
  schema?: string;
  /** Identity (declarations) and dependencies (references) of one file. */
  extract: (value: Record<string, unknown>, text: string) => Extracted;
  /** Deploy side: how the runner imports it. */
  deploy: {
    phase: DeployPhase;
    /** Tie-break inside a phase after dependencies (flows after the tools they call …). */
    rank: number;
    /** Its own file gets `${NAME}` secrets filled when rendered (the CLI does not expand them). */
    secretsRendered: boolean;
    /** `orchestrate …` argv of its import (after the executable). */
    importArgv: (unit: ImportSubject, stage: Stage) => string[];
    timeout: 'default' | 'knowledge_base';
    /** How the file's declarations become platform objects: its first one, or each (a file of tools). */
    objects: 'first' | 'each';
    /** channel / phone: attached to the agent its directory names (channels/<agent>/<file>). */
    attach?: 'required' | 'optional';
    /** The unit's variant (agent kind, channel type, toolkit kind) from its declaration. */
    variant?: (decl: ResourceDecl) => string | undefined;
    /** Objects the plan imports first that the `references` rule does not check (model-policy targets). */
    orderAfter?: (value: Record<string, unknown>) => { kind: ResourceKind; name: string }[];
    /** Repository files the import reads besides the file itself. */
    reads?: 'documents' | 'package_root';
    /**
     * When its import is not an upsert (an MCP toolkit: toolkit_controller.py:207-210 fails on an
     * existing one): the removal that comes first, on every import (the tenant may hold the object
     * without the base knowing). The object gets a new id: what refers to it is imported again.
     */
    replaceArgv?: (unit: ImportSubject, stage: Stage) => string[] | undefined;
    /** Attachment to its agent, after the import (phone configs: `phone attach`; the attach is not an upsert). */
    attachArgv?: (unit: ImportSubject, stage: Stage) => string[] | undefined;
    /** Why the attachment its directory names cannot be made (the unit itself is still imported). */
    notAttached?: (unit: ImportSubject) => string | undefined;
    /** Undoes an attachment (the agent changed, or the attachment went away). */
    detachArgv?: (unit: ImportSubject & { agent: string }, stage: Stage) => string[];
    /**
     * Why the ADK cannot deploy this unit the way the runner would (undefined: it can): the plan
     * reports it as "not deployed by wxo-policy" instead of calling what would fail or do nothing.
     */
    notDeployedWhen?: (unit: ImportSubject) => string | undefined;
    /** Set when the runner does not import it yet: why (`plan` reports the file as not deployed). */
    notDeployed?: string;
  };
}

/** One platform object kind: how it is named in messages, provided by the platform, removed. */
export interface ObjectKindRecord {
  kind: ResourceKind;
  word: string;
  /** Where the policy lists platform-provided names of this kind. */
  provided?: ProvidedKey;
  /** Names the platform provides on every tenant, whatever the policy says. */
  intrinsic?: readonly string[];
  deploy: {
    /** `orchestrate …` argv of its removal. */
    removeArgv: (object: RemoveSubject, stage: Stage) => string[];
    /** Removal order (lower first): attachments, agents, … connections last. */
    removalRank: number;
    /** How its draft and live versions come about (see DraftLive); the planner and `check` read it. */
    draftLive: DraftLive;
    timeout: 'default' | 'knowledge_base';
  };
}

/**
 * How an object kind lives in a tenant's draft and live (`agents deploy` copies an agent's draft,
 * with what it uses, to live). One record field, read by the planner (which calls go to which
 * stage), by `check` and `plan` alike for the live-configuration judgement (kinds/draftLive.ts),
 * and by drift (which agents an environment put live):
 * - `released`: an import reaches draft; a live stage releases it with `releaseArgv` — for the
 *   variants that have a live version at all (native agents; undefined: the import is all there is);
 * - `per-stage`: its file holds one configuration per stage (a connection's `environments.draft` /
 *   `.live`); a deploy imports and sets only its stage's block, skips the object when the block is
 *   missing, and a live stage needs the live block of every such object its released agents use;
 * - `stage-named`: the calls name the stage (`--env draft|live`: channels, phone attachments);
 * - `tenant-wide`: one version serves draft and live (knowledge bases: a change reaches both at once);
 * - `with-agents`: it exists in draft only; live sees it through the release of the agents that use it.
 */
export type DraftLive =
  | { how: 'released'; releaseArgv: (object: RemoveSubject) => string[] | undefined }
  | { how: 'per-stage' }
  | { how: 'stage-named' }
  | { how: 'tenant-wide' }
  | { how: 'with-agents' };
