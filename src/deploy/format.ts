import type { Palette } from '../report/colors.js';
import { kindWord } from '../kinds/catalogue.js';
import { displayArgv, maskedArgv, PHASES, type Operation, type Phase } from './plan.js';
import { authCalls, type PreparedPlan } from './prepare.js';

/** How plans look: text for people (and Jenkins logs), JSON for tools. Secrets appear as names only. */

const PHASE_TITLES: Record<Phase, string> = {
  connections: 'connections',
  tools: 'tools, flows and toolkits',
  knowledge_bases: 'knowledge bases',
  importables: 'voice configurations and models',
  agents: 'agents (collaborators first)',
  deploy: 'agents deploy (draft → live)',
  attachments: 'channels and phone configurations',
  removals: 'removals (reverse order)',
};

const ACTION_WORDS: Record<Operation['action'], string> = {
  import: 'import',
  'set-credentials': 'set credentials',
  deploy: 'deploy',
  remove: 'remove',
  attach: 'attach',
  detach: 'detach',
};

/** `import agent claims_agent (changed)` */
export function describeOperation(op: Operation): string {
  const what = op.action === 'deploy' ? `agent ${op.name}` : `${kindWord(op.kind)} ${op.name}`;
  return `${ACTION_WORDS[op.action]} ${what} — ${op.reason}${op.tenantWide ? ' [tenant-wide]' : ''}`;
}

function baseLine(prepared: PreparedPlan): string {
  const base = prepared.target.base;
  if (!base) return 'base: none — first deploy of this environment, everything is new';
  if (base.source === 'tag') return `base: ${base.tag!.name} (${base.rev.slice(0, 12)}, ${base.tag!.date})`;
  return `base: ${base.rev.slice(0, 12)} (--from; no deploy tag of this environment is reachable)`;
}

export function headerLines(prepared: PreparedPlan): string[] {
  const { env, tenant, branch, head } = prepared.target;
  return [
    `environment ${env.name}: tenant ${tenant.name} (orchestrate env ${tenant.orchestrate.env_name}), ${env.stage} stage`,
    `head: ${branch ? `${branch} at ` : ''}${head.slice(0, 12)}`,
    baseLine(prepared),
  ];
}

export function formatPlanText(prepared: PreparedPlan, c: Palette, binary = 'orchestrate'): string {
  const { plan } = prepared;
  const lines = headerLines(prepared).map((l, i) => (i === 0 ? c.bold(l) : l));
  for (const w of prepared.warnings) lines.push(c.yellow(`warning: ${w}`));
  for (const p of prepared.tenantProblems) lines.push(c.yellow(`warning: ${p} (deploy refuses this)`));
  if (!plan.operations.length) {
    lines.push('', c.green('no changes: nothing to deploy'));
    return lines.join('\n');
  }
  const counts = [`${plan.added.length} added`, `${plan.changed.length} changed`, `${plan.removed.length} removed`].join(', ');
  lines.push(`changes: ${counts} — ${plan.operations.length} operation${plan.operations.length === 1 ? '' : 's'}`);
  const auth = authCalls(prepared);
  lines.push(c.dim(`authenticates first: ${displayArgv(binary, auth.add)} (only if missing), then ${displayArgv(binary, auth.activate)}`));
  let step = 0;
  const width = String(plan.operations.length).length;
  for (const phase of PHASES) {
    const ops = plan.operations.filter((o) => o.phase === phase);
    if (!ops.length) continue;
    lines.push(
      '',
      c.bold(PHASE_TITLES[phase]) +
        (phase === 'knowledge_bases' ? c.yellow(` — tenant-wide: Draft and Live of ${prepared.target.tenant.name} change at once`) : ''),
    );
    for (const op of ops) {
      step++;
      lines.push(`  ${String(step).padStart(width)}. ${describeOperation(op)}`);
      lines.push(c.dim(`  ${' '.repeat(width)}  ${displayArgv(binary, op.argv)}`));
    }
  }
  lines.push(
    '',
    c.dim(`secrets needed: ${[prepared.apiKeySecret, ...plan.secrets.filter((s) => s !== prepared.apiKeySecret)].join(', ')}`),
  );
  return lines.join('\n');
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
    secrets: [prepared.apiKeySecret, ...plan.secrets.filter((s) => s !== prepared.apiKeySecret)],
    warnings: [...prepared.warnings, ...prepared.tenantProblems],
  };
}

/** A short text for hooks: environment, base, counts and the first operations. */
export function formatPlanSummary(prepared: PreparedPlan, maxOperations = 5, binary = 'orchestrate'): string {
  const { plan, target } = prepared;
  const base = target.base?.tag?.name ?? (target.base ? target.base.rev.slice(0, 12) : 'none (first deploy)');
  const head = `${target.env.name} (${target.tenant.name}, ${target.env.stage})`;
  if (!plan.operations.length) return `deploy plan for ${head} since ${base}: no changes`;
  const lines = [
    `deploy plan for ${head} since ${base}: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed — ${plan.operations.length} operations`,
  ];
  for (const op of plan.operations.slice(0, maxOperations)) lines.push(`  ${displayArgv(binary, op.argv)}`);
  if (plan.operations.length > maxOperations) lines.push(`  … ${plan.operations.length - maxOperations} more (wxo-policy plan)`);
  return lines.join('\n');
}
