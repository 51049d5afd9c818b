/**
 * Where a path points in a JSON text, without building a second document: a scanner that walks
 * down the path and skips everything else. JSON files are parsed with JSON.parse (fast); this
 * gives findings and facts their line:column. Returns the deepest offset it could reach.
 */
export function locateJson(text: string, path: readonly string[], key?: string): number {
  let i = 0;
  let best = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const readString = (): string => {
    const start = ++i;
    let escaped = false;
    while (i < text.length) {
      const ch = text[i++];
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') break;
    }
    const raw = text.slice(start, i - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const skipValue = () => {
    ws();
    const ch = text[i];
    if (ch === '"') {
      readString();
      return;
    }
    if (ch === '{' || ch === '[') {
      let depth = 0;
      while (i < text.length) {
        const c = text[i];
        if (c === '"') {
          readString();
          continue;
        }
        if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
  };

  ws();
  best = i;
  const targets = key === undefined ? path : [...path, key];
  for (let depth = 0; depth < targets.length; depth++) {
    const segment = targets[depth]!;
    const wantKey = key !== undefined && depth === targets.length - 1;
    ws();
    if (text[i] === '{') {
      i++;
      let found = false;
      while (i < text.length) {
        ws();
        if (text[i] === '}') break;
        const keyStart = i;
        const name = readString();
        ws();
        i++; // ':'
        ws();
        if (name === segment) {
          found = true;
          best = wantKey ? keyStart : i;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
      if (!found || wantKey) return best;
    } else if (text[i] === '[') {
      i++;
      const index = Number(segment);
      let n = 0;
      let found = false;
      while (i < text.length) {
        ws();
        if (text[i] === ']') break;
        if (n === index) {
          found = true;
          best = i;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        n++;
      }
      if (!found) return best;
    } else {
      return best;
    }
  }
  return best;
}
