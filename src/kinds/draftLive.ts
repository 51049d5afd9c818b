import { objectKind } from './catalogue.js';
import type { DraftLive, RemoveSubject, ResourceKind, Stage } from './types.js';

/**
 * The draft/live decisions, read from the catalogue records (ObjectKindRecord.deploy.draftLive) —
 * the one place the planner, `check` and drift learn which objects a stage releases, which are
 * configured per stage and which are tenant-wide. Pure.
 */

export const draftLiveOf = (kind: ResourceKind): DraftLive => objectKind(kind).deploy.draftLive;

/** The call that releases this object's draft to live (native agents: `agents deploy`); undefined: nothing to release. */
export function releaseArgv(object: RemoveSubject & { kind: ResourceKind }): string[] | undefined {
  const how = draftLiveOf(object.kind);
  return how.how === 'released' ? how.releaseArgv(object) : undefined;
}

/** One version for draft and live (knowledge bases): a change reaches both at once. */
export const isTenantWide = (kind: ResourceKind): boolean => draftLiveOf(kind).how === 'tenant-wide';

/** Configured per stage (connections): a deploy imports only its stage's block. */
export const isPerStage = (kind: ResourceKind): boolean => draftLiveOf(kind).how === 'per-stage';

/** One object as the live-configuration judgement sees it: from a deploy unit (plan) or a file's facts (check). */
export interface StageNode {
  kind: ResourceKind;
  name: string;
  /** The file that defines it. */
  path: string;
  /** Per-stage kinds: the stages its file configures. */
  stages?: readonly Stage[];
  /** What it uses (tools, toolkits, knowledge bases, collaborators, connections). */
  deps: readonly { kind: string; name: string }[];
}

export interface StageGap {
  /** The per-stage object (a connection) without the stage's configuration, and its file. */
  name: string;
  kind: ResourceKind;
  path: string;
  /** The released agent that uses it (the nearest agent on the way). */
  agent: string;
  /** The files on the way from the released agent to it (agent, collaborators, tools …), its own last. */
  files: string[];
}

/**
 * Per-stage objects (connections) that the agents released to `stage` use — directly or through
 * their tools, toolkits, knowledge bases and collaborators — whose file has no configuration for
 * that stage. A deploy of that stage would release the agents with an unconfigured connection:
 * `plan` refuses, `check` reports it. One gap per object, for the first agent (in `released` order)
 * that reaches it.
 */
export function missingStageConfigs(nodes: readonly StageNode[], released: readonly string[], stage: Stage): StageGap[] {
  const byKey = new Map<string, StageNode>();
  for (const n of nodes) if (!byKey.has(`${n.kind}:${n.name}`)) byKey.set(`${n.kind}:${n.name}`, n);
  const gaps: StageGap[] = [];
  const seen = new Set<StageNode>();
  const visit = (node: StageNode, agent: string, files: string[]) => {
    if (seen.has(node)) return;
    seen.add(node);
    const here = files.includes(node.path) ? files : [...files, node.path];
    if (isPerStage(node.kind) && node.stages && !node.stages.includes(stage))
      gaps.push({ name: node.name, kind: node.kind, path: node.path, agent, files: here });
    for (const dep of node.deps) {
      const target = byKey.get(`${dep.kind}:${dep.name}`);
      if (target && target !== node) visit(target, node.kind === 'agent' ? node.name : agent, here);
    }
  };
  for (const name of released) {
    const agent = byKey.get(`agent:${name}`);
    if (agent) visit(agent, name, []);
  }
  return gaps;
}
