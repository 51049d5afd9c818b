import { tenantBindingAt } from '../checks/checkScope.js';
import type { BranchInfo } from '../policy/environments.js';
import type { Environment, Policy } from '../policy/model.js';

/**
 * Tenant binding of a commit for an environment, for `deploy` (which refuses on any problem) and
 * `status` (which shows them): every tenant-scoped file of the policy (tenant.yaml, values.yaml …)
 * must declare the environment's tenant. It is the `tenant-binding` rule of `check`, always judged
 * as an error here: a rule turned down to a warning for `check` does not let a deploy go to the
 * wrong tenant. Problems come back as `file:line:column message`.
 */
export async function tenantBindingProblems(root: string, rev: string, env: Environment, branch: string | undefined, policy: Policy): Promise<string[]> {
  const info: BranchInfo = { kind: 'environment', name: branch ?? env.branch, env };
  const strict: Policy = policy.rules['tenant-binding'] === 'error' ? policy : { ...policy, rules: { ...policy.rules, 'tenant-binding': 'error' } };
  const findings = await tenantBindingAt(root, rev, info, strict);
  return findings.map((f) => `${f.file}:${f.line ?? 1}:${f.column ?? 1} ${f.message}`);
}
