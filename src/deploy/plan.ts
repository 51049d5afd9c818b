import { findCycles } from '../resources/graph.js';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { isWxoKind, kindWord, objectKind, wxoKind } from '../kinds/catalogue.js';
import { isTenantWide, missingStageConfigs, releaseArgv, type StageNode } from '../kinds/draftLive.js';
import type { DeployPhase } from '../kinds/types.js';
import type { Stage } from '../policy/model.js';
import { objectKey, type CredentialBlock, type PlatformObject, type ResourceSet, type Unit, type UnitKind } from './resources.js';
import { SECRET_PLACEHOLDER } from '../resources/values.js';
import { nameOption } from '../kinds/argv.js';

/**
 * The deploy plan: the difference of two resource sets turned into ordered `orchestrate` calls.
 * Pure — resource sets in, operations out — so every ordering rule is unit-tested without git.
 *
 * Order: connections → tools / flows / toolkits → knowledge bases → voice configs,
 * models, model policies → agents (collaborators first) → `agents deploy` (live stages) →
 * channels and phone configs (they attach to an agent, which must exist — and on a live stage be
 * deployed — first) → removals in reverse order. Removals come last so that nothing is removed
 * while an imported or deployed agent still refers to it.
 */

/** One argv element; secrets stay symbolic until the runner resolves them. */
export type ArgPart = string | { secret: string };
export type Arg = string | { parts: ArgPart[] };

export type Phase = DeployPhase;
export const PHASES: readonly Phase[] = [
  'connections',
  'tools',
  'knowledge_bases',
  'importables',
  'agents',
  'deploy',
  'attachments',
  'removals',
];

export interface Operation {
  phase: Phase;
  action: 'import' | 'set-credentials' | 'deploy' | 'remove' | 'attach' | 'detach';
  /** Unit kind (imports) or object kind (removals, deploys). */
  kind: string;
  name: string;
  /** Why: new, changed, a changed dependency, removed … */
  reason: string;
  /** Arguments after the orchestrate executable. */
  argv: Arg[];
  /** The head unit whose files the call reads (rendered into the private directory). */
  unit?: string;
  /** Knowledge bases have no draft/live split: the change reaches Draft and Live at once. */
  tenantWide?: boolean;
  /** Channel removals: the agent whose channel it is (`name` is `agent/channel`). */
  agent?: string;
  timeout: 'default' | 'knowledge_base';
}

export interface Plan {
  stage: Stage;
  operations: Operation[];
  added: string[];
  changed: string[];
  removed: string[];
  /** Every secret the operations need (names, never values), besides the tenant API key. */
  secrets: string[];
  warnings: string[];
}

export class PlanError extends ConfigError {
  override name = 'PlanError';
}

const PHASE_OF = (kind: UnitKind): Phase => wxoKind(kind).deploy.phase;
/** Tie-break inside a phase (after dependencies): flows after the tools they call, policies after models. */
const KIND_RANK = (kind: UnitKind): number => wxoKind(kind).deploy.rank;

/** One object of a unit kind: an OpenAPI spec makes several tools, each an "OpenAPI tool". */
const objectWord = (kind: string) => (isWxoKind(kind) ? (wxoKind(kind).objectWord ?? wxoKind(kind).word) : kindWord(kind));

/** `-u`, `--client-id` …: the `connections set-credentials` flag of each credentials key. */
const CREDENTIAL_FLAGS: Record<string, string> = {
  username: '-u',
  password: '-p',
  token: '--token',
  api_key: '--api-key',
  client_id: '--client-id',
  client_secret: '--client-secret',
  token_url: '--token-url',
  auth_url: '--auth-url',
  grant_type: '--grant-type',
  scope: '--scope',
  send_via: '--send-via',
};

export interface PlanOptions {
  stage: Stage;
  /**
   * Set when another environment of the same tenant was deployed after this one's base: the
   * tenant's draft may then hold that environment's versions (environments of a tenant share its
   * draft). Draft stages then import everything again; live stages import again everything the
   * agents they deploy depend on, since `agents deploy` snapshots draft.
   */
  draftTouchedBy?: string;
}

export function computePlan(base: ResourceSet | undefined, head: ResourceSet, options: PlanOptions): Plan {
  const { stage } = options;
  const warnings: string[] = [];
  const headOwner = ownerIndex(head.units);
  const baseOwner = ownerIndex(base?.units ?? []);

  // ---- what changed -------------------------------------------------------------------------------
  const status = new Map<Unit, { state: 'added' | 'changed'; reason: string }>();
  for (const unit of head.units) {
    const previous = [...new Set(unit.objects.map((o) => baseOwner.get(objectKey(o))).filter((u): u is Unit => Boolean(u)))];
    if (!previous.length) status.set(unit, { state: 'added', reason: 'new' });
    else if (previous.some((p) => p.fingerprint !== unit.fingerprint)) {
      const moved = previous.length === 1 && previous[0]!.path !== unit.path ? ` (moved from ${previous[0]!.path})` : '';
      status.set(unit, { state: 'changed', reason: `changed${moved}` });
    }
  }
  // An import that is a replacement (an MCP toolkit is removed and created again) gives the object a
  // new id: whatever refers to it is imported again so that its reference is resolved anew.
  for (const unit of [...status.keys()]) {
    if (!wxoKind(unit.kind).deploy.replaceArgv?.(unit, stage)) continue;
    const key = objectKey(unit.objects[0]!);
    for (const other of head.units)
      if (!status.has(other) && other.deps.some((d) => depKey(d) === key))
        status.set(other, { state: 'changed', reason: messages.deploy.replacedDependency(kindWord(unit.kind), unit.name) });
  }
  const changedKeys = new Set<string>();
  for (const unit of status.keys()) for (const o of unit.objects) changedKeys.add(objectKey(o));

  // ---- collaborators: order and cycles ----------------------------------------------------------------
  const agentOrder = agentTopology(head.units);
  const operations: Operation[] = [];

  // ---- which agents go live (decided on real changes, before any refresh below) ---------------------------
  const toDeploy: { agent: Unit; why: string; argv: string[] }[] = [];
  if (stage === 'live') {
    const affected = affectedBy(changedKeys, headOwner, status);
    for (const agent of agentOrder) {
      const argv = releaseArgv(agent.objects[0]!); // the catalogue says which agents have a live version
      if (!argv) continue;
      const why = status.has(agent) ? `agent ${status.get(agent)!.state === 'added' ? 'new' : 'changed'}` : affected(agent);
      if (why) toDeploy.push({ agent, why, argv });
    }
  }

  // ---- a shared draft touched by a sibling environment: import again what this deploy relies on ---------------
  const refreshed = new Set<Unit>();
  if (options.draftTouchedBy) {
    const reason = `again: draft may hold ${options.draftTouchedBy}'s version`;
    const refresh = (unit: Unit) => {
      if (status.has(unit) || refreshed.has(unit)) return;
      refreshed.add(unit);
      status.set(unit, { state: 'changed', reason });
    };
    if (stage === 'draft') for (const unit of head.units) refresh(unit);
    else {
      const visit = (unit: Unit, seen: Set<Unit>) => {
        if (seen.has(unit)) return;
        seen.add(unit);
        refresh(unit);
        for (const dep of unit.deps) {
          const target = headOwner.get(depKey(dep));
          if (target) visit(target, seen);
        }
      };
      const seen = new Set<Unit>();
      for (const { agent } of toDeploy) visit(agent, seen);
    }
  }

  // ---- a live stage needs the live configuration of every connection its released agents use ------------------
  // (kinds/draftLive.ts missingStageConfigs: the judgement `check` reports with the same words)
  if (stage === 'live') {
    const gaps = missingStageConfigs(
      stageNodes(head.units),
      toDeploy.map((d) => d.agent.name),
      'live',
    );
    if (gaps.length)
      throw new PlanError(
        messages.deploy.liveConfigMissing(
          gaps.map((g) => `${g.path}: ${messages.deploy.liveConfigGap(kindWord(g.kind), g.name, g.agent)}`),
        ),
        messages.deploy.liveConfigMissingHint,
      );
  }

  // ---- what the ADK cannot take as the runner would send it: reported, never silently skipped ----------------
  const skipped = new Set<Unit>();
  for (const unit of status.keys()) {
    const why = wxoKind(unit.kind).deploy.notDeployedWhen?.(unit);
    if (why) {
      skipped.add(unit);
      warnings.push(messages.deploy.notDeployedUnit(`${kindWord(unit.kind)} ${unit.name}`, unit.path, why));
    } else if (unit.environments && !unit.environments.includes(stage)) {
      // a per-stage object (connection) without this stage's block: nothing of it is this stage's
      skipped.add(unit);
      warnings.push(messages.deploy.connectionWithoutStage(unit.path, unit.name, stage));
    }
    if (unit.identityProviders?.includes(stage)) warnings.push(messages.deploy.identityProviderNotSet(unit.path, unit.name, stage));
  }

  // ---- imports, phase by phase --------------------------------------------------------------------------
  for (const phase of ['connections', 'tools', 'knowledge_bases', 'importables', 'agents'] as const) {
    const units = head.units.filter((u) => PHASE_OF(u.kind) === phase && status.has(u) && !skipped.has(u));
    const ordered = phase === 'agents' ? agentOrder.filter((u) => status.has(u) && !skipped.has(u)) : orderWithinPhase(units, headOwner);
    for (const unit of ordered) {
      const why = status.get(unit)!.reason;
      const replace = wxoKind(unit.kind).deploy.replaceArgv?.(unit, stage);
      if (replace)
        operations.push({
          phase,
          action: 'remove',
          kind: objectKind(wxoKind(unit.kind).object).kind,
          name: unit.name,
          reason: `re-created: an import does not update an existing ${unit.variant ? `${unit.variant} ` : ''}${kindWord(unit.kind)}`,
          argv: replace,
          timeout: 'default',
        });
      if (phase === 'agents') {
        // An agent that changes kind is another object to the platform: remove the old kind first.
        const previous = baseOwner.get(objectKey(unit.objects[0]!));
        const oldVariant = previous?.objects[0]?.variant;
        if (previous && oldVariant && oldVariant !== unit.variant) {
          operations.push(
            removeOperation(
              { kind: 'agent', name: unit.name, variant: oldVariant },
              previous,
              stage,
              `kind changed from ${oldVariant} to ${unit.variant}`,
              'agents',
            ),
          );
        }
      }
      operations.push(importOperation(unit, stage, why));
      operations.push(...credentialOperations(unit, stage, warnings));
    }
  }

  // ---- agents deploy on live stages --------------------------------------------------------------------
  for (const { agent, why, argv } of toDeploy) {
    operations.push({ phase: 'deploy', action: 'deploy', kind: 'agent', name: agent.name, reason: why, argv, timeout: 'default' });
  }

  // ---- channels and phone configurations ----------------------------------------------------------------
  for (const unit of orderWithinPhase(
    head.units.filter((u) => PHASE_OF(u.kind) === 'attachments' && status.has(u) && !skipped.has(u)),
    headOwner,
  )) {
    const how = wxoKind(unit.kind).deploy;
    operations.push(importOperation(unit, stage, status.get(unit)!.reason));
    // An attachment is not an upsert: attach when it is new, detach the old one when it moves.
    const previous = baseOwner.get(objectKey(unit.objects[0]!));
    const before = previous?.agent && previous.kind === unit.kind && how.attachArgv?.(previous, stage) ? previous.agent : undefined;
    if (before && before !== unit.agent && how.detachArgv) {
      operations.push({
        phase: 'attachments',
        action: 'detach',
        kind: unit.kind,
        name: unit.name,
        reason: `detach from agent ${before}`,
        argv: how.detachArgv({ ...previous!, agent: before }, stage),
        unit: unit.id,
        timeout: 'default',
      });
    }
    const notAttached = how.notAttached?.(unit);
    if (notAttached)
      warnings.push(
        messages.deploy.notDeployedUnit(
          `the attachment of ${kindWord(unit.kind)} ${unit.name} to agent ${unit.agent}`,
          unit.path,
          notAttached,
        ),
      );
    const attach = how.attachArgv?.(unit, stage);
    if (attach && before !== unit.agent)
      operations.push({
        phase: 'attachments',
        action: 'attach',
        kind: unit.kind,
        name: unit.name,
        reason: `attach to agent ${unit.agent}`,
        argv: attach,
        unit: unit.id,
        timeout: 'default',
      });
  }

  // ---- removals, in reverse dependency order ----------------------------------------------------------------
  const removed: { object: PlatformObject; unit: Unit }[] = [];
  for (const [key, unit] of baseOwner) {
    if (headOwner.has(key)) continue;
    if (wxoKind(unit.kind).deploy.notDeployedWhen?.(unit)) continue; // never deployed: nothing to remove
    const object = unit.objects.find((o) => objectKey(o) === key)!;
    removed.push({ object, unit });
  }
  const baseAgentOrder = base ? agentTopology(base.units, false) : [];
  const removalRank = (r: { object: PlatformObject; unit: Unit }): number[] => {
    const rank = objectKind(r.object.kind).deploy.removalRank;
    if (r.object.kind === 'agent') return [rank, -baseAgentOrder.indexOf(r.unit)]; // supervisors before their collaborators
    if (r.object.kind === 'tool') return [rank, r.unit.kind === 'flow' ? 0 : 1]; // flows before the tools they call
    return [rank];
  };
  removed.sort(
    (a, b) => compareRanks(removalRank(a), removalRank(b)) || (a.object.name < b.object.name ? -1 : a.object.name > b.object.name ? 1 : 0),
  );
  for (const r of removed) operations.push(removeOperation(r.object, r.unit, stage, 'removed from the repository', 'removals'));

  // ---- summary -------------------------------------------------------------------------------------------------
  const label = (u: Unit) => `${kindWord(u.kind)} ${u.name}`;
  const secrets = new Set<string>();
  for (const op of operations)
    for (const arg of op.argv) if (typeof arg !== 'string') for (const p of arg.parts) if (typeof p !== 'string') secrets.add(p.secret);
  for (const unit of status.keys()) for (const s of unit.secrets) secrets.add(s);
  return {
    stage,
    operations,
    added: [...status].filter(([, s]) => s.state === 'added').map(([u]) => label(u)),
    changed: [...status].filter(([u, s]) => s.state === 'changed' && !refreshed.has(u)).map(([u]) => label(u)),
    removed: removed.map(
      (r) => `${kindWord(r.object.kind)} ${r.object.kind === 'channel' ? `${r.object.agent}/${r.object.name}` : r.object.name}`,
    ),
    secrets: [...secrets],
    warnings,
  };
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function ownerIndex(units: readonly Unit[]): Map<string, Unit> {
  const owner = new Map<string, Unit>();
  for (const unit of units) for (const o of unit.objects) if (!owner.has(objectKey(o))) owner.set(objectKey(o), unit);
  return owner;
}

const depKey = (d: { kind: string; name: string }) => `${d.kind}:${d.name}`;

/** The units' objects as the live-configuration judgement sees them (the same judgement `check` makes from file facts). */
function stageNodes(units: readonly Unit[]): StageNode[] {
  return units.flatMap((u) =>
    u.objects.map((o) => ({
      kind: o.kind,
      name: o.name,
      path: u.path,
      deps: u.deps,
      ...(u.environments ? { stages: u.environments } : {}),
    })),
  );
}

/** Agents ordered collaborators first; a collaborator cycle cannot be imported and is an error. */
function agentTopology(units: readonly Unit[], failOnCycle = true): Unit[] {
  const agents = units.filter((u) => u.kind === 'agent');
  const byName = new Map(agents.map((a) => [a.name, a]));
  const edges = new Map<string, string[]>();
  for (const a of agents)
    edges.set(
      a.name,
      a.deps.filter((d) => d.kind === 'agent' && d.name !== a.name && byName.has(d.name)).map((d) => d.name),
    );
  const cycles = findCycles(edges);
  if (cycles.length && failOnCycle) {
    throw new PlanError(
      messages.deploy.collaboratorCycle(cycles.map((c) => [...c, c[0]!].join(' → '))),
      messages.deploy.collaboratorCycleHint,
    );
  }
  const out: Unit[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const visit = (name: string) => {
    if (state.has(name)) return; // done, or a cycle in a base set (tolerated there)
    state.set(name, 'active');
    for (const next of [...(edges.get(name) ?? [])].sort()) visit(next);
    state.set(name, 'done');
    out.push(byName.get(name)!);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return out;
}

/** Units of one phase in dependency order (deps inside the same phase first), then kind and name. */
function orderWithinPhase(units: readonly Unit[], owner: ReadonlyMap<string, Unit>): Unit[] {
  const inPhase = new Set(units);
  const sorted = [...units].sort((a, b) => KIND_RANK(a.kind) - KIND_RANK(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Unit[] = [];
  const state = new Map<Unit, 'active' | 'done'>();
  const visit = (unit: Unit) => {
    if (state.has(unit)) return;
    state.set(unit, 'active');
    for (const dep of unit.deps) {
      const target = owner.get(depKey(dep));
      if (target && target !== unit && inPhase.has(target)) visit(target);
    }
    state.set(unit, 'done');
    out.push(unit);
  };
  for (const unit of sorted) visit(unit);
  return out;
}

/**
 * Why an agent must be re-deployed although its own file is unchanged: the first changed object
 * found among its transitive dependencies (tools → connections, collaborators → their tools …).
 */
function affectedBy(
  changed: ReadonlySet<string>,
  owner: ReadonlyMap<string, Unit>,
  status: ReadonlyMap<Unit, unknown>,
): (agent: Unit) => string | undefined {
  const memo = new Map<Unit, string | null>();
  const walk = (unit: Unit, visiting: Set<Unit>): string | null => {
    if (memo.has(unit)) return memo.get(unit)!;
    if (visiting.has(unit)) return null;
    visiting.add(unit);
    let found: string | null = null;
    for (const dep of unit.deps) {
      const target = owner.get(depKey(dep));
      if (!target || target === unit) continue;
      const what = `${objectWord(target.kind)} ${dep.name}`;
      if (status.has(target) && changed.has(depKey(dep))) {
        found = `${what} changed`;
        break;
      }
      const deeper = walk(target, visiting);
      if (deeper) {
        found = dep.kind === 'agent' ? `collaborator ${dep.name}: ${deeper}` : `${what} → ${deeper}`;
        break;
      }
    }
    visiting.delete(unit);
    memo.set(unit, found);
    return found;
  };
  return (agent) => walk(agent, new Set()) ?? undefined;
}

function importOperation(unit: Unit, stage: Stage, reason: string): Operation {
  const how = wxoKind(unit.kind).deploy;
  const op: Operation = {
    phase: how.phase,
    action: 'import',
    kind: unit.kind,
    name: unit.name,
    reason,
    argv: how.importArgv(unit, stage),
    unit: unit.id,
    timeout: how.timeout,
  };
  if (isTenantWide(wxoKind(unit.kind).object)) op.tenantWide = true;
  return op;
}

/** A credential value as an argv element: literal text and `${NAME}` secrets. */
export function credentialArg(prefix: string, value: string): Arg {
  const parts: ArgPart[] = [];
  let last = 0;
  for (const m of value.matchAll(new RegExp(SECRET_PLACEHOLDER.source, 'g'))) {
    if (m.index! > last) parts.push(value.slice(last, m.index!));
    parts.push({ secret: m[1]! });
    last = m.index! + m[0].length;
  }
  if (last < value.length) parts.push(value.slice(last));
  if (!parts.some((p) => typeof p !== 'string')) return prefix + value;
  return { parts: prefix ? [prefix, ...parts] : parts };
}

/** The credentials of the stage's environment only (per-stage kinds: connections): a Draft-stage deploy never sets live credentials. */
function credentialOperations(unit: Unit, stage: Stage, warnings: string[]): Operation[] {
  const out: Operation[] = [];
  for (const block of unit.credentials ?? []) {
    if (block.env !== stage) continue;
    const argv: Arg[] = ['connections', 'set-credentials', ...nameOption('-a', unit.name), '--env', block.env];
    argv.push(...credentialFlags(unit, block, warnings));
    out.push({
      phase: 'connections',
      action: 'set-credentials',
      kind: 'connection',
      name: unit.name,
      reason: `${block.env} credentials (${block.kind})`,
      argv,
      unit: unit.id,
      timeout: 'default',
    });
  }
  return out;
}

function credentialFlags(unit: Unit, block: CredentialBlock, warnings: string[]): Arg[] {
  const out: Arg[] = [];
  for (const [field, value] of Object.entries(block.fields)) {
    if (field === 'entries') {
      if (typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push('-e', credentialArg(`${k}=`, v));
      continue;
    }
    const flag = CREDENTIAL_FLAGS[field];
    if (!flag || typeof value !== 'string') {
      warnings.push(messages.deploy.unknownCredentialField(unit.path, block.env, field));
      continue;
    }
    out.push(flag, credentialArg('', value));
  }
  return out;
}

function removeOperation(object: PlatformObject, unit: Unit, stage: Stage, reason: string, phase: Phase): Operation {
  const how = objectKind(object.kind).deploy;
  const name = object.kind === 'channel' ? `${object.agent}/${object.name}` : object.name;
  const op: Operation = {
    phase,
    action: 'remove',
    kind: object.kind,
    name,
    reason: `${reason} (was ${unit.path})`,
    argv: how.removeArgv(object, stage),
    timeout: how.timeout,
  };
  if (isTenantWide(object.kind)) op.tenantWide = true;
  if (object.kind === 'channel' && object.agent) op.agent = object.agent;
  return op;
}

// ---- argv display and resolution ---------------------------------------------------------------------

/** How a secret looks in plans, logs and records: its name, never its value. */
export const maskedSecret = (name: string) => `<secret:${name}>`;

/**
 * The argv as text, secrets masked, each literal quoted the way a shell needs it — a name with
 * `<`, `>`, `|`, `;`, `$` or a space pastes as one word. A secret stays a visible `<secret:NAME>`
 * placeholder outside the quotes: the reader replaces it before running the line.
 */
export function displayArgv(binary: string, argv: readonly Arg[]): string {
  return [
    quote(binary),
    ...argv.map((a) =>
      typeof a === 'string'
        ? quote(a)
        : a.parts.map((p) => (typeof p === 'string' ? (p ? quote(p) : '') : maskedSecret(p.secret))).join(''),
    ),
  ].join(' ');
}

export function maskedArgv(argv: readonly Arg[]): string[] {
  return argv.map((a) => (typeof a === 'string' ? a : a.parts.map((p) => (typeof p === 'string' ? p : maskedSecret(p.secret))).join('')));
}

/** The real argv, secrets filled in (only ever handed to spawn, never printed). */
export function resolveArgv(argv: readonly Arg[], secrets: ReadonlyMap<string, string>): string[] {
  return argv.map((a) =>
    typeof a === 'string' ? a : a.parts.map((p) => (typeof p === 'string' ? p : (secrets.get(p.secret) ?? ''))).join(''),
  );
}

function quote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
