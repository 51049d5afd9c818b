import { hints } from '../../messages.js';
import type { BranchInfo } from '../../policy/environments.js';
import type { Policy } from '../../policy/model.js';
import { severityOf } from '../finding.js';
import type { FileResult, Finding } from '../types.js';

/**
 * tenant-binding: every tenant-scoped file declares a tenant of the policy, and on an
 * environment branch it is that environment's tenant.
 */
export function tenantBinding(results: readonly FileResult[], policy: Policy, branch?: BranchInfo): Finding[] {
  const severity = severityOf(policy, 'tenant-binding');
  if (!severity) return [];
  const known = new Set(policy.tenants.map((t) => t.name));
  const out: Finding[] = [];
  for (const r of results) {
    const t = r.facts.tenant;
    if (!t) continue;
    const base = { rule: 'tenant-binding' as const, severity, file: r.path, line: t.line, column: t.column, hint: hints['tenant-binding'] };
    if (t.name === null) out.push({ ...base, message: 'tenant-scoped file declares no tenant (add `tenant: <name>` at the top level)' });
    else if (!known.has(t.name)) out.push({ ...base, message: `declares tenant "${t.name}", which is not a tenant of the policy (${[...known].join(', ')})` });
    else if (branch?.kind === 'environment' && branch.env.tenant !== t.name) {
      out.push({ ...base, message: `declares tenant "${t.name}" but branch ${branch.name} (${branch.env.name}) belongs to tenant "${branch.env.tenant}"` });
    }
  }
  return out;
}
