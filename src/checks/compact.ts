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
export function resultCompactor(): (result: FileResult) => FileResult {
  const strings = new Map<string, string>();
  const froms = new Map<string, unknown>();
  const text = (s: string): string => {
    if (s.length > SHARED_UP_TO) return copyString(s);
    let shared = strings.get(s);
    if (shared === undefined) {
      shared = copyString(s);
      strings.set(shared, shared);
    }
    return shared;
  };
  const copy = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map((x) => copy(x));
    if (v === null || typeof v !== 'object') return v;
    if (key === 'from') {
      const { kind, name } = v as { kind: string; name: string };
      const id = `${kind}\0${name}`;
      let shared = froms.get(id);
      if (shared === undefined) froms.set(id, (shared = { kind: text(kind), name: text(name) }));
      return shared;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x, k);
    return out;
  };
  return (result) => copy(result) as FileResult;
}

/** A flat copy that shares no memory with the string it was cut from. */
function copyString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
