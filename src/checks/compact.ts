import type { FileResult } from './types.js';

/** Strings up to this length are shared (names, kinds, `via`); longer ones (messages) are only copied. */
const SHARED_UP_TO = 80;

/**
 * A file's result outlives its text: every file's facts wait for the repository-wide rules. A
 * name cut out of the text is a slice of it in V8 and keeps the whole text alive (at 100,000 files,
 * most of the repository), and every reference repeats its kind, `via` and declaring object. The
 * results kept are copies: strings copied out of the text (the short ones shared), one `from`
 * object per declaring object. One compactor per piece of work, so nothing outlives a run.
 */
export type ResultCompactor = (result: FileResult, how?: { fresh?: boolean }) => FileResult;

/**
 * `fresh`: the result is this thread's alone and its strings share nothing with a text (JSON.parse
 * makes new ones): its strings are shared in place, nothing is copied.
 */
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
  const copy = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const out = fresh ? v : new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
      return out;
    }
    if (key === 'from') {
      const { kind, name } = v as { kind: string; name: string };
      const id = `${kind}\0${name}`;
      let shared = froms.get(id);
      if (shared === undefined) froms.set(id, (shared = { kind: text(kind), name: text(name) }));
      return shared;
    }
    const out: Record<string, unknown> = fresh ? (v as Record<string, unknown>) : {};
    // for…in over plain data objects (own enumerable keys, in order), without Object.entries' pairs.
    for (const k in v) out[k] = copy((v as Record<string, unknown>)[k], k);
    return out;
  };
  return (result, how) => {
    fresh = how?.fresh === true;
    return copy(result) as FileResult;
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
