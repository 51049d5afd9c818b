import { hints, messages } from '../../messages.js';
import type { BranchInfo } from '../../policy/environments.js';
import type { Policy } from '../../policy/model.js';
import { severityOf } from '../finding.js';
import type { FileResult, Finding } from '../types.js';

const tenantMessages = messages.tenantTruth;

/**
 * tenant-binding: every tenant-scoped file declares a tenant of the policy, and on an
 * environment branch it is that environment's tenant — and tenant.yaml reaches that tenant as the
 * policy describes it (orchestrate env_name, url, auth_type): one truth about a tenant.
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
    else if (!known.has(t.name))
      out.push({
        ...base,
        message: `declares tenant "${t.name}", which is not a tenant of the policy (${[...known].join(', ')})`,
        hint: tenantMessages.unknownTenantHint(t.name),
      });
    else if (branch?.kind === 'environment' && branch.env.tenant !== t.name) {
      out.push({
        ...base,
        message: `declares tenant "${t.name}" but branch ${branch.name} (${branch.env.name}) belongs to tenant "${branch.env.tenant}"`,
      });
    } else if (branch?.kind === 'environment' && t.orchestrate) {
      // One truth about a tenant: tenant.yaml must reach the tenant the policy binds the branch to.
      const tenant = policy.tenants.find((x) => x.name === t.name)!;
      const trim = (u: string) => u.trim().replace(/\/+$/, '');
      for (const key of ['env_name', 'url', 'auth_type'] as const) {
        const found = t.orchestrate[key];
        const expected = tenant.orchestrate[key];
        if (expected === undefined) continue;
        if (found === undefined) {
          if (key !== 'auth_type')
            out.push({
              ...base,
              message: tenantMessages.settingMissing(key, t.name, expected),
              hint: tenantMessages.disagreeHint(t.name, branch.name),
            });
        } else if (key === 'url' ? trim(found.value) !== trim(expected) : found.value !== expected) {
          out.push({
            ...base,
            line: found.line,
            column: found.column,
            message: tenantMessages.settingDisagrees(key, found.value, t.name, expected),
            hint: tenantMessages.disagreeHint(t.name, branch.name),
          });
        }
      }
    }
  }
  return out;
}
