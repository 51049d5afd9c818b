/**
 * Policy patterns run on every branch name, tag and path, in hooks and CI: a regular expression
 * with catastrophic backtracking (`^(a+)+$` on "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!") would hang them.
 * JavaScript has no linear-time engine built in, so the policy loader (and with it `doctor`)
 * refuses the shapes that backtrack exponentially, and bounds lengths. Pure.
 */
export const MAX_REGEX_LENGTH = 200;
export const MAX_GLOB_LENGTH = 500;

/** Why a regular expression source is refused, or undefined when it is safe to run. */
export function regexRisk(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `longer than ${MAX_REGEX_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(source)) return 'a back-reference (matching it can take exponential time)';
  // Per open group: does it hold an unbounded quantifier, or an alternation?
  const stack: { quantified: boolean; alternation: boolean }[] = [{ quantified: false, alternation: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (ch === '[') inClass = true;
    else if (ch === '(') stack.push({ quantified: false, alternation: false });
    else if (ch === '|') top.alternation = true;
    else if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : top;
      const unbounded = unboundedQuantifierAt(source, i + 1);
      if (unbounded && group.quantified) return 'a repeated group that itself repeats, like (a+)+ (exponential backtracking)';
      if (unbounded && group.alternation) return 'a repeated alternation, like (a|ab)* (exponential backtracking)';
      const parent = stack[stack.length - 1]!;
      if (group.quantified || unbounded) parent.quantified = true;
    } else if (unboundedQuantifierAt(source, i)) top.quantified = true;
  }
  return undefined;
}

/** Is there a `*`, `+` or `{n,}` / `{n,m}` (m > 1) quantifier at `i`? */
function unboundedQuantifierAt(source: string, i: number): boolean {
  const ch = source[i];
  if (ch === '*' || ch === '+') return true;
  if (ch !== '{') return false;
  const m = /^\{(\d*)(,(\d*))?\}/.exec(source.slice(i));
  if (!m) return false;
  if (m[2] === undefined) return false; // {n}: a fixed count
  return m[3] === '' || Number(m[3]) > 1;
}

/** Why a glob is refused, or undefined. picomatch compiles globs to regular expressions. */
export function globRisk(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[*?+@!]\((?:[^()]*[*+?][^()]*)\)/.test(glob)) return 'an extglob that repeats a repeating pattern (exponential backtracking)';
  return undefined;
}
