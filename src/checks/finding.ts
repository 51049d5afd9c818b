import { hints } from '../messages.js';
import type { Policy, RuleId } from '../policy/model.js';
import type { Finding, Severity } from './types.js';

/**
 * The one way a rule's finding gets its severity: none when the policy turns the rule off, at most
 * a warning when it turns it down to `warning`, else what the rule itself judged (`own`: most
 * findings are errors; a few — a YAML warning, an unknown key — are warnings of their own).
 */
export function severityOf(policy: Policy, rule: RuleId, own: Severity = 'error'): Severity | undefined {
  const level = policy.rules[rule];
  if (level === 'off') return undefined;
  return level === 'warning' ? 'warning' : own;
}

/** The one finding constructor of the rules: severity by `severityOf`, the rule's fix hint unless `fields` brings one. */
export function ruleFinding(
  policy: Policy,
  rule: RuleId,
  fields: Omit<Finding, 'rule' | 'severity'>,
  own: Severity = 'error',
): Finding | undefined {
  const severity = severityOf(policy, rule, own);
  return severity && { rule, severity, hint: hints[rule], ...fields };
}
