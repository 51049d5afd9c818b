import type { Environment, Policy, PromotionEdge } from './model.js';

/**
 * What the policy says about approvals and rollbacks of one environment: read by the Jenkinsfile
 * (`wxo-policy environment`), pre-push, rollback, `protect` and `docs`. Pure.
 */

/** Rollback by reset + force-push: the environment's `allow_reset`, else only for draft stages. */
export function resetAllowed(env: Environment): boolean {
  return env.allow_reset ?? env.stage === 'draft';
}

export function edgesInto(policy: Policy, env: Environment): PromotionEdge[] {
  return policy.promotions.filter((e) => e.to === env.name);
}

/** An `approval: true` edge leads into the environment: cross-tenant or production promotions. */
export function needsApproval(policy: Policy, env: Environment): boolean {
  return edgesInto(policy, env).some((e) => e.approval === true);
}

export function requiredApprovals(policy: Policy, env: Environment): number {
  const g = policy.governance;
  const counts = edgesInto(policy, env).map(
    (e) => e.required_approvals ?? (e.approval ? g.approval_required_approvals : g.required_approvals),
  );
  return counts.length ? Math.max(...counts) : g.required_approvals;
}

/** Who may approve a deploy of the environment: the approvers of its approval edges, in order, once each. */
export function approversOf(policy: Policy, env: Environment): string[] {
  const edges = edgesInto(policy, env).filter((e) => e.approval === true);
  return [...new Set(edges.flatMap((e) => e.approvers ?? []))];
}

/** `@org/team` → `org/team`: Jenkins' `input submitter` names users and groups without the `@`. */
export function jenkinsSubmitters(approvers: string[]): string {
  return approvers.map((a) => a.replace(/^@/, '')).join(',');
}
