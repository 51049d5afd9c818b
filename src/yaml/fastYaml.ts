import { Document, isScalar } from 'yaml';
import { ADK_YAML_OPTIONS, type Position } from './readYaml.js';

/**
 * A fast path for the YAML most wxO files are made of: block mappings and sequences, one-line
 * plain and quoted scalars, literal and folded block scalars, comments, one-line flow collections.
 * It gives the same value as the `yaml` package with the ADK's options (scalars are resolved by
 * that package's own YAML 1.1 tags) and the same node positions, several times faster — and it
 * gives up (undefined) on anything else: anchors, tags, multi-line plain or quoted scalars, tabs,
 * directives, several documents, duplicate keys (which deserve the package's warning), errors.
 * The caller then parses with the package, which stays the reference: test/fastYaml.test.ts
 * compares both on every YAML file the tests and the benchmark have.
 */
export interface FastYaml {
  value: unknown;
  /** Node positions, for `locateFast`. */
  positions: PositionIndex;
}

/**
 * Positions hang off the parsed collections themselves (no path strings are built while
 * parsing): each mapping or list has a table of where its keys and its values start.
 */
interface Table {
  keys: Map<string, Packed>;
  values: Map<string, Packed>;
}
/** A position in one number, `line × COLUMNS + column`: no object per key and value of a file. */
type Packed = number;
const COLUMNS = 2 ** 24;
const unpack = (at: Packed): Position => ({ line: Math.floor(at / COLUMNS), column: at % COLUMNS });
export interface PositionIndex {
  root: unknown;
  rootAt: Packed;
  tables: Map<object, Table>;
}
/** Where a node's own position goes: its parent's table, under its key or index. */
interface Slot {
  table: Table;
  key: string;
}
const newTable = (): Table => ({ keys: new Map(), values: new Map() });

/** Giving up; the reason is for debugging only, never shown to users. */
class Bail extends Error {}
const bail = (why = 'unsupported'): never => {
  throw new Bail(why);
};

type Resolver = (source: string) => unknown;
let resolvePlain: Resolver | undefined;

/** Plain scalars resolve with the `yaml` package's own tags (YAML 1.1, timestamps removed). */
function plainResolver(): Resolver {
  const schema = (new Document(undefined, ADK_YAML_OPTIONS as never) as Document).schema;
  type PlainTag = { test: RegExp; resolve: (source: string, onError: () => void, options: object) => unknown };
  const tags = schema.tags.filter((t) => t.default === true && t.test && t.resolve) as unknown as PlainTag[];
  return (source) => {
    // Most scalars are words: one that starts with a letter and is longer than the longest
    // word-like tag (false, FALSE) is a string under every YAML 1.1 tag (numbers, .inf and .nan
    // start otherwise); the tags' regexes are tried only on the rest.
    const c = source.charCodeAt(0);
    if (source.length > 5 && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return source;
    for (const tag of tags) {
      if (tag.test.test(source)) {
        let failed = false;
        let value: unknown = tag.resolve(source, () => (failed = true), {});
        if (isScalar(value)) value = value.value; // floats come wrapped (to keep their format)
        if (failed || (value !== null && typeof value === 'object')) bail('tag');
        return value;
      }
    }
    return source;
  };
}

interface Line {
  indent: number;
  /** Text after the indentation, comments included. */
  text: string;
  number: number;
}

export function fastParseYaml(source: string): FastYaml | undefined {
  if (source.includes('\t') || source.includes('\r') || source.charCodeAt(0) === 0xfeff) return undefined;
  resolvePlain ??= plainResolver();
  const lines: Line[] = [];
  // One slice per line (its text after the indentation), not a split and then a slice of each.
  for (let offset = 0, number = 1; ; number++) {
    const end = source.indexOf('\n', offset);
    const stop = end < 0 ? source.length : end;
    let indent = offset;
    while (indent < stop && source.charCodeAt(indent) === 32) indent++;
    lines.push({ indent: indent - offset, text: source.slice(indent, stop), number });
    if (end < 0) break;
    offset = end + 1;
  }
  const tables = new Map<object, Table>();
  const rootSlot: Slot = { table: newTable(), key: '' };
  const pos = (line: Line, column: number): Packed => (column + 1 < COLUMNS ? line.number * COLUMNS + column + 1 : bail('long line'));
  try {
    let i = 0;
    const isBlank = (l: Line) => l.text === '' || l.text.startsWith('#');
    const skipBlank = () => {
      while (i < lines.length && isBlank(lines[i]!)) i++;
    };
    skipBlank();
    let marker: Line | undefined;
    if (i < lines.length && lines[i]!.indent === 0 && /^---(\s|$)/.test(lines[i]!.text)) {
      marker = lines[i];
      if (marker!.text.replace(/^---\s*(#.*)?$/, '') !== '') bail();
      i++;
      skipBlank();
    }
    if (i >= lines.length) bail(); // an empty document: let the package say what it is
    // Directives, document markers other than one leading `---`: several documents or stranger.
    for (const l of lines) {
      const c = l.text.charCodeAt(0); // only `-`, `.` and `%` can start one
      if ((c === 0x2d || c === 0x2e || c === 0x25) && l !== marker && l.indent === 0 && /^(---|\.\.\.)(\s|$)|^%/.test(l.text)) bail();
    }

    /** A node starting at lines[i]; `indent` is the indentation of its parent collection. */
    const node = (slot: Slot, parentIndent: number, sameIndentSeq: boolean): unknown => {
      skipBlank();
      if (i >= lines.length) return bail('eof in node');
      const l = lines[i]!;
      if (l.indent <= parentIndent && !(sameIndentSeq && l.indent === parentIndent && isSeqItem(l.text))) bail('node indent');
      return isSeqItem(l.text) ? sequence(slot, l.indent) : mapping(slot, l.indent, undefined);
    };

    const isSeqItem = (text: string) => text === '-' || text.startsWith('- ');

    const sequence = (slot: Slot, indent: number): unknown[] => {
      const out: unknown[] = [];
      const table = newTable();
      tables.set(out, table);
      slot.table.values.set(slot.key, pos(lines[i]!, indent));
      while (true) {
        skipBlank();
        if (i >= lines.length) break;
        const l = lines[i]!;
        // a key at the sequence's own indentation ends it (`tools:` / `- a` / `next_key:`)
        if (l.indent < indent || (l.indent === indent && !isSeqItem(l.text))) break;
        if (l.indent > indent) bail('seq item');
        const itemSlot: Slot = { table, key: String(out.length) };
        if (l.text === '-' || /^-\s+#/.test(l.text)) {
          i++;
          skipBlank();
          if (i < lines.length && lines[i]!.indent > indent) out.push(node(itemSlot, indent, false));
          else {
            table.values.set(itemSlot.key, pos(l, indent + 1));
            out.push(null);
          }
          continue;
        }
        let col = indent + 1;
        while (l.text.charCodeAt(col - indent) === 32) col++;
        const rest = l.text.slice(col - indent);
        if (rest.startsWith('- ') || rest === '-') bail('nested seq'); // nested sequences in one line
        if (startsMappingEntry(rest)) {
          // `- key: value` — a mapping whose keys sit at the column of the first one
          out.push(mapping(itemSlot, col, { line: l, column: col, text: rest }));
        } else {
          out.push(inlineValue(itemSlot, l, col, rest, indent));
        }
      }
      return out;
    };

    const mapping = (
      slot: Slot,
      indent: number,
      first: { line: Line; column: number; text: string } | undefined,
    ): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      const table = newTable();
      tables.set(out, table);
      let entry = first;
      slot.table.values.set(slot.key, first ? pos(first.line, first.column) : pos(lines[i]!, indent));
      while (true) {
        let l: Line;
        let column: number;
        let text: string;
        if (entry) {
          ({ line: l, column, text } = entry);
          entry = undefined;
        } else {
          skipBlank();
          if (i >= lines.length) break;
          l = lines[i]!;
          if (l.indent < indent) break;
          if (l.indent > indent) bail('map indent');
          if (isSeqItem(l.text)) break; // a sequence at the parent's indentation ends this map
          column = indent;
          text = l.text;
        }
        const { key, valueText, valueColumn } = splitEntry(text, column);
        if (table.keys.has(key)) bail('duplicate'); // duplicate keys get the package's warning
        // An assignment would set the object's prototype; the package keeps it as a key.
        if (key === '__proto__') bail('__proto__');
        table.keys.set(key, pos(l, column));
        out[key] = entryValue({ table, key }, l, valueColumn, valueText, indent);
      }
      return out;
    };

    /** The value of `key: <valueText>` on line l; consumes the lines it spans. */
    const entryValue = (slot: Slot, l: Line, column: number, valueText: string, indent: number): unknown => {
      if (valueText === '') {
        i++;
        skipBlank();
        const next = lines[i];
        if (next && (next.indent > indent || (next.indent === indent && isSeqItem(next.text)))) return node(slot, indent, true);
        slot.table.values.set(slot.key, pos(l, column));
        return null;
      }
      return inlineValue(slot, l, column, valueText, indent);
    };

    /** A value that starts on the current line at `column`. */
    const inlineValue = (slot: Slot, l: Line, column: number, text: string, indent: number): unknown => {
      slot.table.values.set(slot.key, pos(l, column));
      const c = text[0]!;
      if (c === '|' || c === '>') return blockScalar(text, indent);
      i++;
      if (c === '"' || c === "'") {
        const [value, rest] = quoted(text);
        trailing(rest);
        noContinuation(indent);
        return value;
      }
      if (c === '[' || c === '{') {
        const [value, rest] = flow(text, 0, (k) => pos(l, column + k), tables);
        trailing(rest);
        noContinuation(indent);
        return value;
      }
      if ('&*!%@`?,]}'.includes(c) || (c === '-' && text[1] === ' ') || (c === ':' && (text.length === 1 || text[1] === ' ')))
        bail('indicator');
      const plain = stripComment(text);
      if (plain.includes(': ') || plain.endsWith(':')) bail('colon in plain');
      noContinuation(indent);
      return resolvePlain!(plain);
    };

    /** A multi-line plain scalar (more-indented lines after a value) is left to the package. */
    const noContinuation = (indent: number) => {
      let j = i;
      while (j < lines.length && isBlank(lines[j]!)) j++;
      if (j < lines.length && lines[j]!.indent > indent && !lines[j]!.text.startsWith('#')) bail('multi-line plain');
    };

    const blockScalar = (header: string, parentIndent: number): string => {
      const m = /^([|>])([-+]?)(?:\s+#.*)?\s*$/.exec(header);
      if (!m) bail('block header'); // indentation indicators and oddities: the package knows best
      const [, mode, chomp] = m as unknown as [string, string, string];
      i++;
      const start = i;
      while (i < lines.length && (lines[i]!.text === '' || lines[i]!.indent > parentIndent)) i++;
      // trailing lines that are less indented but empty belong to it; a comment ends it
      const body = lines.slice(start, i);
      let chompStart = body.length;
      for (let k = body.length - 1; k >= 0; k--) {
        if (body[k]!.text === '') chompStart = k;
        else break;
      }
      // give back trailing empty lines that are not indented beyond the parent: they separate
      // the scalar from what follows, exactly as the lexer does
      if (chompStart === 0) {
        i = start + (chomp === '+' ? body.length : 0);
        if (chomp === '+') bail();
        return '';
      }
      let trimIndent = Math.max(0, parentIndent);
      let contentStart = 0;
      for (let k = 0; k < chompStart; k++) {
        const b = body[k]!;
        if (b.text === '') {
          if (b.indent > trimIndent) trimIndent = b.indent;
        } else {
          if (b.indent < trimIndent) bail('leading empty'); // more-indented leading empty lines: an error there
          trimIndent = b.indent;
          contentStart = k;
          break;
        }
      }
      for (let k = body.length - 1; k >= chompStart; k--) if (body[k]!.indent > trimIndent) chompStart = k + 1;
      let value = '';
      let sep = '';
      let prevMoreIndented = false;
      for (let k = 0; k < contentStart; k++) value += ' '.repeat(Math.max(0, body[k]!.indent - trimIndent)) + '\n';
      for (let k = contentStart; k < chompStart; k++) {
        const b = body[k]!;
        const content = b.text;
        if (content && b.indent < trimIndent) bail('block less indented');
        const extra = ' '.repeat(Math.max(0, b.indent - trimIndent));
        if (mode === '|') {
          value += sep + extra + content;
          sep = '\n';
        } else if (b.indent > trimIndent) {
          if (sep === ' ') sep = '\n';
          else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
          value += sep + extra + content;
          sep = '\n';
          prevMoreIndented = true;
        } else if (content === '') {
          if (sep === '\n') value += '\n';
          else sep = '\n';
        } else {
          value += sep + content;
          sep = ' ';
          prevMoreIndented = false;
        }
      }
      if (chomp === '+') bail('keep chomp');
      if (chomp !== '-') value += '\n';
      return value;
    };

    const trailing = (rest: string) => {
      if (rest.trim() !== '' && !/^\s+#/.test(rest)) bail('trailing');
    };

    const root = node(rootSlot, -1, false);
    skipBlank();
    if (i < lines.length) bail('leftover');
    if (root === null || typeof root !== 'object') bail();
    return { value: root, positions: { root, rootAt: rootSlot.table.values.get('')!, tables } };
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

/** `key: value` with a plain or quoted key that this fast path can read. */
function startsMappingEntry(text: string): boolean {
  if (text[0] === '"' || text[0] === "'") {
    try {
      const [, rest] = quoted(text);
      return rest.startsWith(':') && (rest.length === 1 || rest[1] === ' ');
    } catch {
      return false;
    }
  }
  const colon = mappingColon(text);
  return colon > 0 && !/^[&*!|>%@`[{\]},#?-]/.test(text) && !text.slice(0, colon).includes(' #');
}

/** Where the first `:` followed by whitespace or the end of the line is (as `/:(\s|$)/`), or -1. */
function mappingColon(text: string): number {
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at + 1)) {
    if (at + 1 === text.length) return at;
    const c = text.charCodeAt(at + 1);
    if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[at + 1]!))) return at;
  }
  return -1;
}

function splitEntry(text: string, column: number): { key: string; valueText: string; valueColumn: number } {
  let key: string;
  let rest: string;
  if (text[0] === '"' || text[0] === "'") {
    let k: unknown;
    [k, rest] = quoted(text);
    key = String(k);
  } else {
    const colon = mappingColon(text);
    if (colon <= 0) bail('no colon');
    const raw = text.slice(0, colon).trimEnd();
    if (/^[&*!|>%@`[{\]},#?]/.test(raw) || (raw[0] === '-' && raw[1] === ' ') || raw === '<<' || raw.includes(' #')) bail('key indicator');
    const resolved = resolvePlain!(raw);
    if (typeof resolved !== 'string') bail('key type'); // keys like `yes:` or `200:`: the package decides
    key = raw;
    rest = text.slice(colon);
  }
  if (!rest!.startsWith(':') || (rest!.length > 1 && rest![1] !== ' ')) bail();
  let v = 1;
  while (rest![v] === ' ') v++;
  const valueText = stripComment(rest!.slice(v)) === '' ? '' : rest!.slice(v);
  return { key, valueText, valueColumn: column + (text.length - rest!.length) + v };
}

function stripComment(text: string): string {
  if (text.startsWith('#')) return '';
  const hash = text.indexOf(' #');
  return (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

/** A one-line quoted scalar at the start of text: [value, the rest of the line]. */
function quoted(text: string): [string, string] {
  const q = text[0]!;
  let value = '';
  let k = 1;
  // The usual string has no escape: up to the closing quote in one slice.
  const close = text.indexOf(q, 1);
  if (close > 0 && (q === "'" ? text[close + 1] !== "'" : text.lastIndexOf('\\', close) < 1))
    return [text.slice(1, close), text.slice(close + 1)];
  while (k < text.length) {
    const c = text[k]!;
    if (q === "'") {
      if (c === "'") {
        if (text[k + 1] === "'") {
          value += "'";
          k += 2;
          continue;
        }
        return [value, text.slice(k + 1)];
      }
      value += c;
      k++;
    } else {
      if (c === '"') return [value, text.slice(k + 1)];
      if (c === '\\') {
        const e = text[k + 1];
        if (e === undefined) bail();
        if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = text.slice(k + 2, k + 2 + n);
          if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) bail();
          value += String.fromCodePoint(parseInt(hex, 16));
          k += 2 + n;
          continue;
        }
        const r = ESCAPES[e!];
        if (r === undefined) bail();
        value += r;
        k += 2;
        continue;
      }
      value += c;
      k++;
    }
  }
  return bail('quote not closed'); // not closed on this line
}

/** A flow collection on one line: [value, rest]. Scalars inside are plain or quoted. */
function flow(text: string, start: number, at: (k: number) => Packed, tables: Map<object, Table>): [unknown, string] {
  let k = start;
  const table = newTable();
  const ws = () => {
    while (text[k] === ' ') k++;
  };
  const item = (inMap: boolean, itemKey: string | undefined): unknown => {
    ws();
    if (itemKey !== undefined) table.values.set(itemKey, at(k));
    const c = text[k];
    if (c === '[' || c === '{') {
      const [v, rest] = flow(text, k, at, tables);
      k = text.length - rest.length;
      return v;
    }
    if (c === '"' || c === "'") {
      const [v, rest] = quoted(text.slice(k));
      k = text.length - rest.length;
      return v;
    }
    let end = k;
    while (
      end < text.length &&
      !',[]{}'.includes(text[end]!) &&
      !(text[end] === ':' && (text[end + 1] === ' ' || text[end + 1] === ',' || text[end + 1] === '}' || text[end + 1] === undefined)) &&
      !(text[end] === ' ' && text[end + 1] === '#')
    )
      end++;
    const raw = text.slice(k, end).trimEnd();
    k = end;
    if (raw === '' || (/^[&*!|>%@`?#-]/.test(raw) && !/^-?\d/.test(raw))) bail();
    if (!inMap && text[k] === ':') bail(); // `[a: b]` single-pair maps
    return resolvePlain!(raw);
  };
  const open = text[k]!;
  k++;
  if (open === '[') {
    const out: unknown[] = [];
    tables.set(out, table);
    ws();
    if (text[k] === ']') return [out, text.slice(k + 1)];
    while (true) {
      out.push(item(false, String(out.length)));
      ws();
      if (text[k] === ',') {
        k++;
        ws();
        if (text[k] === ']') bail(); // trailing comma
        continue;
      }
      if (text[k] === ']') return [out, text.slice(k + 1)];
      return bail();
    }
  }
  const out: Record<string, unknown> = {};
  tables.set(out, table);
  ws();
  if (text[k] === '}') return [out, text.slice(k + 1)];
  while (true) {
    ws();
    const keyAt = at(k);
    const key = item(true, undefined);
    if (typeof key !== 'string' || key in out) bail(); // `in` also catches __proto__ and its kin
    table.keys.set(key as string, keyAt);
    ws();
    if (text[k] !== ':') bail();
    k++;
    out[key as string] = item(true, key as string);
    ws();
    if (text[k] === ',') {
      k++;
      ws();
      if (text[k] === '}') bail();
      continue;
    }
    if (text[k] === '}') return [out, text.slice(k + 1)];
    return bail();
  }
}

/**
 * Position lookup with the same fallbacks as locate(): the deepest existing node, the key when a
 * value has none, the key of `key` inside the mapping at `path`.
 */
export function locateFast(index: PositionIndex, path: readonly string[], key?: string): Position {
  let best = index.rootAt;
  let node: unknown = index.root;
  for (const segment of path) {
    const table = node !== null && typeof node === 'object' ? index.tables.get(node) : undefined;
    if (!table) return unpack(best);
    const k = table.keys.get(segment);
    const v = table.values.get(segment);
    if (k === undefined && v === undefined) return unpack(best);
    best = v ?? k!;
    node = (node as Record<string, unknown>)[segment];
  }
  if (key !== undefined && node !== null && typeof node === 'object') {
    const k = index.tables.get(node)?.keys.get(key);
    if (k !== undefined) best = k;
  }
  return unpack(best);
}
