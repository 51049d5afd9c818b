import type { Palette } from '../report/colors.js';
import { kindWord } from '../kinds/catalogue.js';
import { messages } from '../messages.js';
import { displayArgv, maskedArgv, PHASES, type Operation, type Phase } from './plan.js';
import { authCalls, type PreparedPlan } from './prepare.js';

/** How plans look: text for people (and Jenkins logs), JSON for tools. Secrets appear as names only. */

const PHASE_TITLES: Record<Phase, string> = messages.plan.phaseTitles;
const ACTION_WORDS: Record<Operation['action'], string> = messages.plan.actionWords;

/** `import agent claims_agent — changed` */
export function describeOperation(op: Operation): string {
  const what = op.action === 'deploy' ? messages.plan.agentOf(op.name) : `${kindWord(op.kind)} ${op.name}`;
  return messages.plan.operation(ACTION_WORDS[op.action], what, op.reason, Boolean(op.tenantWide));
}

function baseLine(prepared: PreparedPlan): string {
  const base = prepared.target.base;
  if (!base) return messages.plan.baseNone;
  if (base.source === 'tag') return messages.plan.baseTag(base.tag!.name, base.rev.slice(0, 12), base.tag!.date);
  return messages.plan.baseFrom(base.rev.slice(0, 12));
}

export function headerLines(prepared: PreparedPlan): string[] {
  const { env, tenant, branch, head } = prepared.target;
  return [
    messages.plan.environmentLine(env.name, tenant.name, tenant.orchestrate.env_name, env.stage),
    messages.plan.headLine(branch, head.slice(0, 12)),
    baseLine(prepared),
  ];
}

export function formatPlanText(prepared: PreparedPlan, c: Palette, binary = 'orchestrate'): string {
  const { plan } = prepared;
  const lines = headerLines(prepared).map((l, i) => (i === 0 ? c.bold(l) : l));
  for (const w of prepared.warnings) lines.push(c.yellow(messages.plan.warning(w)));
  for (const p of prepared.tenantProblems) lines.push(c.yellow(messages.plan.tenantProblem(p)));
  if (!plan.operations.length) {
    lines.push('', c.green(messages.plan.noChanges));
    return lines.join('\n');
  }
  lines.push(messages.plan.changes(plan.added.length, plan.changed.length, plan.removed.length, plan.operations.length));
  const auth = authCalls(prepared);
  lines.push(c.dim(messages.plan.authenticatesFirst(displayArgv(binary, auth.add), displayArgv(binary, auth.activate))));
  let step = 0;
  const width = String(plan.operations.length).length;
  for (const phase of PHASES) {
    const ops = plan.operations.filter((o) => o.phase === phase);
    if (!ops.length) continue;
    lines.push(
      '',
      c.bold(PHASE_TITLES[phase]) +
        (phase === 'knowledge_bases' ? c.yellow(messages.plan.tenantWidePhase(prepared.target.tenant.name)) : ''),
    );
    for (const op of ops) {
      step++;
      lines.push(`  ${String(step).padStart(width)}. ${describeOperation(op)}`);
      lines.push(c.dim(`  ${' '.repeat(width)}  ${displayArgv(binary, op.argv)}`));
    }
  }
  lines.push('', c.dim(messages.plan.secretsNeeded(secretNames(prepared))));
  return lines.join('\n');
}

/** The secrets a deploy of this plan needs: the tenant's API key first. */
function secretNames(prepared: PreparedPlan): string[] {
  return [prepared.apiKeySecret, ...prepared.plan.secrets.filter((s) => s !== prepared.apiKeySecret)];
}

export function planJson(prepared: PreparedPlan, binary = 'orchestrate'): object {
  const { target, plan } = prepared;
  const auth = authCalls(prepared);
  return {
    environment: target.env.name,
    tenant: target.tenant.name,
    stage: target.env.stage,
    orchestrate_env: target.tenant.orchestrate.env_name,
    branch: target.branch ?? null,
    head: target.head,
    base: target.base ? { commit: target.base.rev, source: target.base.source, tag: target.base.tag?.name ?? null } : null,
    changes: { added: plan.added, changed: plan.changed, removed: plan.removed },
    auth: { add: [binary, ...maskedArgv(auth.add)], activate: [binary, ...maskedArgv(auth.activate)] },
    operations: plan.operations.map((op, i) => ({
      step: i + 1,
      phase: op.phase,
      action: op.action,
      kind: op.kind,
      name: op.name,
      reason: op.reason,
      tenant_wide: Boolean(op.tenantWide),
      argv: [binary, ...maskedArgv(op.argv)],
    })),
    secrets: secretNames(prepared),
    warnings: [...prepared.warnings, ...prepared.tenantProblems],
  };
}

/** A short text for hooks: environment, base, counts and the first operations. */
export function formatPlanSummary(prepared: PreparedPlan, maxOperations = 5, binary = 'orchestrate'): string {
  const { plan, target } = prepared;
  const base = target.base?.tag?.name ?? (target.base ? target.base.rev.slice(0, 12) : messages.plan.summaryBaseNone);
  const head = messages.plan.summaryHead(target.env.name, target.tenant.name, target.env.stage);
  if (!plan.operations.length) return messages.plan.summaryNoChanges(head, base);
  const lines = [messages.plan.summary(head, base, plan.added.length, plan.changed.length, plan.removed.length, plan.operations.length)];
  for (const op of plan.operations.slice(0, maxOperations)) lines.push(`  ${displayArgv(binary, op.argv)}`);
  if (plan.operations.length > maxOperations) lines.push(`  ${messages.plan.summaryMore(plan.operations.length - maxOperations)}`);
  return lines.join('\n');
}
