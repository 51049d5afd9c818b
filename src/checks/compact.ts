import type { FileResult } from './types.js';

/** Strings up to this length are shared (names, kinds, `via`); longer ones (messages) are only copied. */
const SHARED_UP_TO = 80;

/**
 * A file's result outlives its text: every file's facts wait for the repository-wide rules. A
 * name cut out of the text is a slice of it in V8 and keeps the whole text alive (at 100,000 files,
 * most of the repository), and every reference repeats its kind, `via` and declaring object. The
 * results kept hold copies: strings copied out of the text (the short ones shared), one `from`
 * object per declaring object. One compactor per piece of work, so nothing outlives a run.
 *
 * Objects and arrays are copied to their exact size, except declarations and references (half a
 * million at 100,000 files), made for the result alone (fileFacts.ts) or by JSON.parse: their
 * strings are replaced in place (a copy filled key by key keeps the fifth and sixth property of a
 * reference in a second object).
 * `fresh`: the result is this thread's alone and its strings share nothing with a text (JSON.parse
 * makes new ones): it is compacted in place, and its strings are shared, not copied.
 */
export type ResultCompactor = (result: FileResult, how?: { fresh?: boolean }) => FileResult;

/** The key compact() passes for the elements of `refs` and `resources`: compacted in place. */
const IN_PLACE = '\0in place';

export function resultCompactor(): ResultCompactor {
  const strings = new Map<string, string>();
  const froms = new Map<string, unknown>();
  let fresh = false;
  const text = (s: string): string => {
    if (s.length > SHARED_UP_TO) return fresh ? s : copyString(s);
    let shared = strings.get(s);
    if (shared === undefined) {
      shared = fresh ? s : copyString(s);
      strings.set(shared, shared);
    }
    return shared;
  };
  const compact = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const out = fresh ? v : new Array<unknown>(v.length);
      const of = key === 'refs' || key === 'resources' ? IN_PLACE : undefined;
      for (let i = 0; i < v.length; i++) out[i] = compact(v[i], of);
      return out;
    }
    if (key === 'from') {
      const { kind, name } = v as { kind: string; name: string };
      const id = `${kind}\0${name}`;
      let shared = froms.get(id);
      if (shared === undefined) froms.set(id, (shared = { kind: text(kind), name: text(name) }));
      return shared;
    }
    const out: Record<string, unknown> = fresh || key === IN_PLACE ? (v as Record<string, unknown>) : {};
    // for…in over plain data objects (own enumerable keys, in order), without Object.entries' pairs.
    for (const k in v) out[k] = compact((v as Record<string, unknown>)[k], k);
    return out;
  };
  return (result, how) => {
    fresh = how?.fresh === true;
    return compact(result) as FileResult;
  };
}

/**
 * A copy that shares no memory with the string it was cut from. V8 makes no slices (nor cons
 * strings) shorter than 13 characters: those are copies already. Slicing a concatenation flattens
 * it into a new string first, and the slice points into that one, not into the original text.
 */
function copyString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
