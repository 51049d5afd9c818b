import type { BranchInfo } from '../policy/environments.js';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Environment, Policy } from '../policy/model.js';
import { listSnapshot } from '../snapshot/snapshot.js';
import { analyzeInThread } from './analyzeMany.js';
import { tenantBinding } from './rules/tenantBinding.js';
import type { Finding } from './types.js';

/**
 * The tenant binding of a commit, outside a full check: for the hooks, promote and the deploy
 * runner. The one module of checks/ that deploy/ may import (see eslint.config.js).
 */

/** tenant-binding of one commit (a pushed tip) for a branch, reading only the tenant-scoped files. */
export async function tenantBindingAt(root: string, rev: string, branch: BranchInfo, policy: Policy): Promise<Finding[]> {
  const classifier = compileClassifier(policy);
  const source = { type: 'commit' as const, rev };
  const entries = listSnapshot(root, source).filter((e) => classifier.isTenantScoped(e.path));
  const results = await analyzeInThread(root, source, entries, policy, { only: 'facts' });
  return tenantBinding(results, policy, branch);
}

/**
 * Tenant binding of a commit for an environment, for `deploy` (which refuses on any problem) and
 * `status` (which shows them): every tenant-scoped file of the policy (tenant.yaml, values.yaml …)
 * must declare the environment's tenant. It is the `tenant-binding` rule of `check`, always judged
 * as an error here: a rule turned down to a warning for `check` does not let a deploy go to the
 * wrong tenant. Problems come back as `file:line:column message`.
 */
export async function tenantBindingProblems(
  root: string,
  rev: string,
  env: Environment,
  branch: string | undefined,
  policy: Policy,
): Promise<string[]> {
  const info: BranchInfo = { kind: 'environment', name: branch ?? env.branch, env };
  const strict: Policy =
    policy.rules['tenant-binding'] === 'error' ? policy : { ...policy, rules: { ...policy.rules, 'tenant-binding': 'error' } };
  const findings = await tenantBindingAt(root, rev, info, strict);
  return findings.map((f) => `${f.file}:${f.line ?? 1}:${f.column ?? 1} ${f.message}`);
}
