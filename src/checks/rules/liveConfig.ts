import { kindWord } from '../../kinds/catalogue.js';
import { isPerStage, missingStageConfigs, releaseArgv, type StageNode } from '../../kinds/draftLive.js';
import { messages } from '../../messages.js';
import type { Policy } from '../../policy/model.js';
import { ruleFinding } from '../finding.js';
import type { FileResult, Finding } from '../types.js';
import type { ReferenceScope } from './references.js';

/**
 * references (live configuration): a connection that an agent uses — directly or through its
 * tools, toolkits, knowledge bases, collaborators — needs a live configuration when the policy
 * has a live-stage environment: every releasable agent of the repository reaches live by promotion,
 * and `agents deploy` would release it with an unconfigured connection. The judgement is the
 * planner's (kinds/draftLive.ts missingStageConfigs): `plan` refuses a live deploy for the same gap,
 * with the same words. Reported at the connection's file.
 */
export function checkLiveConfig(results: readonly FileResult[], policy: Policy, scope?: ReferenceScope): Finding[] {
  if (!policy.environments.some((e) => e.stage === 'live')) return [];
  // A gap is a per-stage object without its live block: where there is none, no walk is needed
  // (the usual case; a hook's check sees the facts of the whole repository).
  if (!results.some((r) => r.facts.resources.some((d) => d.stages && !d.stages.includes('live') && isPerStage(d.kind)))) return [];
  const nodes: StageNode[] = [];
  const released: string[] = [];
  const where = new Map<string, { line: number; column: number }>();
  for (const r of results) {
    for (const d of r.facts.resources) {
      const deps = r.facts.refs.filter((ref) => ref.kind !== 'file' && ref.from.kind === d.kind && ref.from.name === d.name);
      nodes.push({ kind: d.kind, name: d.name, path: r.path, deps, ...(d.stages ? { stages: d.stages } : {}) });
      if (!where.has(`${r.path}\0${d.kind}:${d.name}`)) where.set(`${r.path}\0${d.kind}:${d.name}`, { line: d.line, column: d.column });
      if (d.kind === 'agent' && releaseArgv({ kind: d.kind, name: d.name, ...(d.variant ? { variant: d.variant } : {}) }))
        released.push(d.name);
    }
  }
  const out: Finding[] = [];
  for (const gap of missingStageConfigs(nodes, released, 'live')) {
    // A partial check reports the gap when it judges a file on the way (the connection, the agent, a tool …).
    if (scope && scope.removed !== 'everything' && !gap.files.some((f) => scope.judged.has(f))) continue;
    const at = where.get(`${gap.path}\0${gap.kind}:${gap.name}`) ?? { line: 1, column: 1 };
    const finding = ruleFinding(policy, 'references', {
      file: gap.path,
      ...at,
      message: messages.deploy.liveConfigGap(kindWord(gap.kind), gap.name, gap.agent),
      hint: messages.deploy.liveConfigMissingHint,
    });
    if (finding) out.push(finding);
  }
  return out;
}
