import { createRequire } from 'node:module';

/**
 * Regular expressions a policy supplies (`versioning.pattern`, inside every branch and tag pattern
 * of the environments) run on every branch name and tag, in hooks and CI. They run on RE2JS
 * (`re2js`, a pure-JavaScript port of RE2): matching takes time linear in the input whatever the
 * pattern, so `^(a+)+$` or `(a|aa)*b` cannot hang a hook. RE2 has no back-references and no
 * look-around: a pattern using them cannot be compiled and the policy loader (and `doctor`) refuses it.
 *
 * The engine is loaded on first use only (it costs ~80 ms to load; the default semver versioning
 * never needs it: its regex is ours and linear).
 */
export interface LinearRegex {
  /** The whole input matches. */
  matches(input: string): boolean;
  /** Named groups of a whole-input match, or undefined when the input does not match. */
  groups(input: string, names: readonly string[]): Record<string, string | undefined> | undefined;
}

interface Re2Pattern {
  matcher(input: string): { matches(): boolean; group(name: string): string | null };
}
let engine: { compile(source: string): Re2Pattern } | undefined;
const re2 = () => (engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: { compile(source: string): Re2Pattern } }).RE2JS);

const cache = new Map<string, LinearRegex>();

/** Compiles with RE2 semantics; throws (with RE2's reason) for what RE2 cannot run. */
export function compileLinear(source: string): LinearRegex {
  let compiled = cache.get(source);
  if (compiled) return compiled;
  const pattern = re2().compile(source);
  compiled = {
    matches: (input) => pattern.matcher(input).matches(),
    groups: (input, names) => {
      const m = pattern.matcher(input);
      if (!m.matches()) return undefined;
      return Object.fromEntries(names.map((n) => [n, m.group(n) ?? undefined]));
    },
  };
  if (cache.size > 256) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** Why RE2 cannot run a source, or undefined. */
export function linearRegexProblem(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'a back-reference, which no linear-time engine can run (RE2 has none)';
  if (/\(\?<?[=!]/.test(source)) return 'a look-ahead or look-behind, which the linear-time engine (RE2) does not run';
  try {
    compileLinear(source);
    return undefined;
  } catch (e) {
    return `not a regular expression the linear-time engine (RE2 syntax) can run: ${(e as Error).message}`;
  }
}
