import { linearRegexProblem } from './linearRegex.js';

/**
 * Policy patterns run on every branch name, tag and path, in hooks and CI, and must not be able to
 * hang them. Regular expressions run on a linear-time engine (./linearRegex.ts): what it cannot run
 * (back-references, look-around) is refused, and lengths are bounded. Globs are compiled by
 * picomatch to JavaScript regular expressions, so the glob shapes that backtrack exponentially are
 * refused. Pure.
 */
export const MAX_REGEX_LENGTH = 200;
export const MAX_GLOB_LENGTH = 500;

/** Why a regular expression source is refused, or undefined when the linear-time engine runs it. */
export function regexRisk(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `longer than ${MAX_REGEX_LENGTH} characters`;
  return linearRegexProblem(source);
}

/** Why a glob is refused, or undefined. picomatch compiles globs to regular expressions. */
export function globRisk(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[*?+@!]\((?:[^()]*[*+?][^()]*)\)/.test(glob)) return 'an extglob that repeats a repeating pattern (exponential backtracking)';
  return undefined;
}
