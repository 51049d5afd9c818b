import type { Finding } from '../checks/types.js';
import { EXIT } from '../errors.js';

export interface Summary {
  errors: number;
  warnings: number;
  suppressed: number;
  files: number;
}

export function summarize(findings: readonly Finding[], files: number): Summary {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, suppressed, files };
}

/** Exit status of a check: findings of severity error fail it, warnings do not. */
export function exitCodeOf(summary: Summary): 0 | 1 {
  return summary.errors > 0 ? EXIT.findings : EXIT.ok;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
