/**
 * Where paths point in a JSON text, without building a second document. JSON files are parsed
 * with JSON.parse (fast); this gives their findings and facts a line:column. One scan indexes the
 * offset of every value and every member key; a path that does not exist resolves to its deepest
 * existing ancestor.
 */
export type JsonLocator = (path: readonly string[], key?: string) => number;

const SEP = '\u0000';

/** `valid`: JSON.parse accepted the text (then a lookup reads only what is on its path). */
export function jsonLocator(text: string, valid = false): JsonLocator {
  // An empty or NUL-containing key makes the index's joined ids collide: only the index answers those as it does.
  if (valid && !text.includes('""') && !text.includes('\\u0000')) return validJsonLocator(text);
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

/**
 * The same answers for a text JSON.parse accepted, without indexing the whole text: a lookup
 * reads the members of the containers on its path (each container once per locator) and skips
 * everything else. Duplicate keys resolve as in the index, where the last one written wins: the
 * latest in the text among every path that matches.
 */
function validJsonLocator(text: string): JsonLocator {
  const members = new Map<number, Map<string, number[]>>();
  const membersOf = (open: number) => {
    let m = members.get(open);
    if (!m) members.set(open, (m = readMembers(text, open)));
    return m;
  };
  const root = skipWhitespace(text, 0);
  return (path, key) => {
    const segments = key === undefined ? path : [...path, key];
    let values = [root];
    let best = root;
    for (let depth = 0; depth < segments.length; depth++) {
      const segment = segments[depth]!;
      const next: number[] = [];
      let keyAt = -1;
      for (const at of values) {
        const ch = text.charCodeAt(at);
        if (ch !== 0x7b && ch !== 0x5b) continue;
        const found = membersOf(at).get(segment);
        if (!found) continue;
        for (let k = 0; k < found.length; k += 2) {
          keyAt = Math.max(keyAt, found[k]!);
          next.push(found[k + 1]!);
        }
      }
      if (next.length === 0) return best;
      if (key !== undefined && depth === segments.length - 1) return keyAt >= 0 ? keyAt : best;
      values = next;
      best = Math.max(...next);
    }
    return best;
  };
}

/** A container's members: name (or index) → [key offset (-1 in arrays), value offset, …] in text order. */
function readMembers(text: string, open: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (name: string, keyAt: number, valueAt: number) => {
    const seen = out.get(name);
    if (seen) seen.push(keyAt, valueAt);
    else out.set(name, [keyAt, valueAt]);
  };
  let i = skipWhitespace(text, open + 1);
  if (text.charCodeAt(open) === 0x5b) {
    if (text.charCodeAt(i) === 0x5d) return out;
    for (let n = 0; ; n++) {
      add(String(n), -1, i);
      i = skipWhitespace(text, skipValue(text, i));
      if (text.charCodeAt(i) !== 0x2c) return out;
      i = skipWhitespace(text, i + 1);
    }
  }
  while (text.charCodeAt(i) === 0x22) {
    const keyAt = i;
    i = skipString(text, i);
    const raw = text.slice(keyAt + 1, i - 1);
    const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    i = skipWhitespace(text, skipWhitespace(text, i) + 1); // past the colon
    add(name, keyAt, i);
    i = skipWhitespace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== 0x2c) return out;
    i = skipWhitespace(text, i + 1);
  }
  return out;
}

function skipWhitespace(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  return i;
}

/** Past the string whose opening quote is at i. */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return i;
}

/** Past the (valid) value that starts at i: strings skipped whole, brackets counted. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i) - 1;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 0x2c || c === 32 || c === 10 || c === 13 || c === 9)) return i;
  }
  return i;
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

/**
 * Where a text stops being JSON, and why, in words that never quote the text (JSON.parse's own
 * messages can quote the source around the error — a credential next to a typo — and Node 20
 * gives no position with them). Undefined when the text is valid JSON.
 */
export function jsonSyntaxError(text: string): { offset: number; problem: string } | undefined {
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw at >= text.length ? new JsonSyntaxError(text.length, 'unexpected end of the file') : new JsonSyntaxError(at, problem);
  };
  const ws = () => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape sequence in a string', i + 1);
      } else if (c < 0x20) fail('control character (a line break or tab) inside a string');
      else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail('expected ":" after the property name');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('expected "," or "}" after the property value');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('expected "," or "]" after the list item');
      }
    }
    if (ch === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (ch !== undefined && /[-0-9]/.test(ch) && NUMBER.test(text) && NUMBER.lastIndex > i) {
      i = NUMBER.lastIndex;
      return;
    }
    fail('unexpected character where a value should start (strings need double quotes)');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected content after the JSON value');
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { offset: err.offset, problem: err.problem };
    return { offset: 0, problem: 'nested too deeply to read' }; // a stack overflow on absurd nesting
  }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}
