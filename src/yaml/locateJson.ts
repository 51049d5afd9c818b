/**
 * Where paths point in a JSON text, without building a second document. JSON files are parsed
 * with JSON.parse (fast); this gives their findings and facts a line:column. One scan indexes the
 * offset of every value and every member key; a path that does not exist resolves to its deepest
 * existing ancestor.
 */
export type JsonLocator = (path: readonly string[], key?: string) => number;

const SEP = '\u0000';

export function jsonLocator(text: string): JsonLocator {
  let index: Map<string, number> | undefined;
  return (path, key) => {
    index ??= indexJson(text);
    const segments = key === undefined ? path : [...path, key];
    for (let depth = segments.length; depth >= 0; depth--) {
      const id = segments.slice(0, depth).join(SEP);
      const isKey = key !== undefined && depth === segments.length;
      const offset = index.get(isKey ? `${id}${SEP}${SEP}key` : id);
      if (offset !== undefined) return offset;
    }
    return 0;
  };
}

/** For a single lookup (tests, one-off use). */
export function locateJson(text: string, path: readonly string[], key?: string): number {
  return jsonLocator(text)(path, key);
}

function indexJson(text: string): Map<string, number> {
  const index = new Map<string, number>();
  let i = 0;
  const ws = () => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  };
  const readString = (): string => {
    const start = ++i;
    let escaped = false;
    while (i < text.length) {
      const ch = text.charCodeAt(i++);
      if (escaped) escaped = false;
      else if (ch === 92) escaped = true;
      else if (ch === 34) break;
    }
    const raw = text.slice(start, i - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const value = (id: string, depth: number): void => {
    ws();
    index.set(id, i);
    const ch = text[i];
    const prefix = id === '' && depth === 0 ? '' : `${id}${SEP}`;
    if (ch === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') {
          if (text[i] === '}') i++;
          return;
        }
        const keyStart = i;
        const name = readString();
        const childId = `${prefix}${name}`;
        index.set(`${childId}${SEP}${SEP}key`, keyStart);
        ws();
        if (text[i] === ':') i++;
        value(childId, depth + 1);
        ws();
        if (text[i] === ',') i++;
        else {
          if (text[i] === '}') i++;
          return;
        }
      }
    } else if (ch === '[') {
      i++;
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === ']') {
          i++;
          return;
        }
        value(`${prefix}${n}`, depth + 1);
        ws();
        if (text[i] === ',') i++;
        else {
          if (text[i] === ']') i++;
          return;
        }
      }
    } else if (ch === '"') {
      readString();
    } else {
      while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
    }
  };
  value('', 0);
  return index;
}
