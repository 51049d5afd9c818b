import type { RuleId } from '../../policy/model.js';
import type { AnalyzeContext, FileInput } from '../fileInput.js';
import type { Finding, Located, Severity } from '../types.js';

/**
 * A rule of stage `file` (src/policy/rules.ts): judges one file read once by readFileInput, and
 * answers what it found. It does not know the policy's level for it: checks/analyzeFile.ts turns
 * hits into findings through ruleFinding (checks/finding.ts).
 */
export interface FileRule {
  /** The registry id its findings carry. */
  readonly id: RuleId;
  /**
   * What the rule finds in a range scan of commits (`only: 'secrets'`), where just what can leak a
   * credential counts: 'all', 'hashed' (only hits that carry a secret's hash), or nothing (absent).
   */
  readonly inSecretScans?: 'all' | 'hashed';
  check(file: FileInput, ctx: AnalyzeContext): RuleHit[] | Promise<RuleHit[]>;
}

export interface RuleHit {
  /** What the rule itself judged (the policy may turn it down to a warning or off). */
  severity: Severity;
  at: Located;
  message: string;
  /** More finding fields: the hash of a secret, a masked message. */
  extra?: Partial<Finding>;
}

export const TOP: Located = { line: 1, column: 1 };
