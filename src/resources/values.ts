import { parseDocument, visit, type Scalar } from 'yaml';
import { positionFinder } from '../yaml/textPosition.js';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { fastParseYaml } from '../yaml/fastYaml.js';
import { ADK_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';

/**
 * `${values.a.b}` substitution from a branch's values.yaml: agent, connection and tool files stay
 * identical on every branch and only values.yaml differs per tenant. Pure: text in, text out.
 *
 * Substitution is textual (what the ADK later reads is exactly the rendered text) but aware of
 * where the placeholder sits, so that a value cannot change the structure of the file:
 * - JSON files: inside strings, escaped as JSON string content;
 * - YAML files: inside double-/single-quoted scalars escaped for that style; a plain scalar is
 *   written as is when it reads back as the intended value, otherwise double-quoted (a URL with
 *   ` #` or a value such as `yes` that YAML 1.1 would turn into a boolean);
 * - every other file (Python, requirements.txt, documents): as is.
 */
export type Values = Record<string, unknown>;

export const VALUE_PLACEHOLDER = /\$\{values\.([A-Za-z0-9_.-]+)\}/g;
/** `${UPPER_NAME}`: a secret, filled from the secret provider (never from values.yaml). */
export const SECRET_PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;

export interface ValueProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Substituted {
  text: string;
  /** Keys used (a.b.c), in order of first use. */
  used: string[];
  problems: ValueProblem[];
}

/** The `values:` mapping of a values.yaml text (empty when the file is absent). */
export function parseValues(text: string | undefined, file = 'values.yaml'): Values {
  if (text === undefined) return {};
  // Every check reads values.yaml before it can start on the other files: the fast path when it can.
  let value = fastParseYaml(text)?.value;
  if (value === undefined) {
    const parsed = readYaml(text);
    if (parsed.errors.length) {
      const e = parsed.errors[0]!;
      throw new ConfigError(messages.deploy.valuesInvalid(`${file}:${e.line}:${e.column}`, e.message));
    }
    value = parsed.value;
  }
  const values = (value as { values?: unknown } | null)?.values;
  if (values === undefined || values === null) return {};
  if (typeof values !== 'object' || Array.isArray(values))
    throw new ConfigError(messages.deploy.valuesInvalid(file, '`values:` must be a mapping'));
  return values as Values;
}

/** `a.b.c` in the values mapping; undefined when any step is missing. */
function lookupValue(values: Values, key: string): { found: true; value: unknown } | { found: false } {
  let node: unknown = values;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, part))
      return { found: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { found: true, value: node };
}

type Style = 'raw' | 'json-string' | 'yaml-double' | 'yaml-single' | 'yaml-plain' | 'yaml-block';
type Lookup = (key: string) => { found: true; value: unknown } | { found: false };

/** Substitutes every `${values.x}` of a file. Problems (unknown keys, mappings) come back with file:line:col. */
export function substituteValues(text: string, file: string, values: Values): Substituted {
  return substitutePlaceholders(text, file, VALUE_PLACEHOLDER, (key) => lookupValue(values, key), {
    unknown: messages.deploy.valueUnknown,
    notScalar: messages.deploy.valueNotScalar,
  });
}

/**
 * The value-level twin of substituteValues, for checking files as they will be deployed without
 * rendering and parsing them again: a string that is exactly one placeholder becomes the value
 * with its type (as the renderer writes a plain scalar that reads back as intended); placeholders
 * inside longer strings, and every placeholder in JSON files, are interpolated as text. Unknown
 * keys stay as they are (the caller reports them). Pure.
 */
export function deployedValue(value: unknown, values: Values, options: { json: boolean }): unknown {
  const whole = new RegExp(`^${VALUE_PLACEHOLDER.source}$`);
  const inString = (s: string) =>
    s.replace(new RegExp(VALUE_PLACEHOLDER.source, 'g'), (m, key: string) => {
      const hit = lookupValue(values, key);
      return hit.found && (hit.value === null || typeof hit.value !== 'object') ? (hit.value === null ? '' : String(hit.value)) : m;
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${values.')) return node;
      const all = options.json ? null : whole.exec(node);
      if (all) {
        const hit = lookupValue(values, all[1]!);
        if (hit.found && (hit.value === null || typeof hit.value !== 'object')) return hit.value;
        return node;
      }
      return inString(node);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value);
}

/**
 * Fills `${NAME}` secret placeholders of a YAML/JSON file with resolved values, with the same
 * structure-preserving escaping. Names without a value stay as they are (the caller resolved every
 * name beforehand and reports missing ones all at once).
 */
export function substituteSecrets(text: string, file: string, secrets: ReadonlyMap<string, string>): string {
  return substitutePlaceholders(
    text,
    file,
    SECRET_PLACEHOLDER,
    (name) => (secrets.has(name) ? { found: true, value: secrets.get(name) } : { found: false }),
    {
      unknown: (name) => `no value for secret \${${name}}`,
      notScalar: (name) => `secret \${${name}} is not a string`,
    },
  ).text;
}

/** The `${NAME}` secret placeholders of a text, in order of first appearance. */
export function secretNames(text: string): string[] {
  return [...new Set([...text.matchAll(SECRET_PLACEHOLDER)].map((m) => m[1]!))];
}

function substitutePlaceholders(
  text: string,
  file: string,
  pattern: RegExp,
  lookup: Lookup,
  words: { unknown(key: string): string; notScalar(key: string): string },
): Substituted {
  const used: string[] = [];
  const problems: ValueProblem[] = [];
  const whole = new RegExp(`^${pattern.source}$`);
  if (!new RegExp(pattern.source).test(text)) return { text, used, problems };
  const position = positionFinder(text);
  const scalarOf = (key: string): { ok: true; value: unknown } | { ok: false } => {
    const hit = lookup(key);
    return hit.found && (hit.value === null || typeof hit.value !== 'object') ? { ok: true, value: hit.value } : { ok: false };
  };
  const resolve = (key: string, offset: number): string | undefined => {
    if (!used.includes(key)) used.push(key);
    const hit = lookup(key);
    if (!hit.found) {
      problems.push({ file, ...position(offset), message: words.unknown(key) });
      return undefined;
    }
    if (hit.value !== null && typeof hit.value === 'object') {
      problems.push({ file, ...position(offset), message: words.notScalar(key) });
      return undefined;
    }
    return hit.value === null ? '' : String(hit.value);
  };
  const replaceRange = (from: number, to: number, style: Style) =>
    text.slice(from, to).replace(new RegExp(pattern.source, 'g'), (m, key: string, offset: number) => {
      const value = resolve(key, from + offset);
      return value === undefined ? m : escapeFor(style, value);
    });

  if (/\.json$/i.test(file)) return { text: replaceRange(0, text.length, 'json-string'), used, problems };
  if (!/\.ya?ml$/i.test(file)) return { text: replaceRange(0, text.length, 'raw'), used, problems };

  // YAML: find the scalars that hold placeholders and treat each by its style.
  const doc = parseDocument(text, ADK_YAML_OPTIONS as object);
  if (doc.errors.length) return { text: replaceRange(0, text.length, 'raw'), used, problems };
  const spans: { start: number; end: number; node: Scalar }[] = [];
  const probe = new RegExp(pattern.source);
  visit(doc, {
    Scalar(_key, node) {
      if (!node.range) return;
      const [start, end] = node.range;
      if (probe.test(text.slice(start, end))) spans.push({ start, end, node });
    },
  });
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const { start, end, node } of spans) {
    out += replaceRange(cursor, start, 'raw'); // comments and the like
    cursor = end;
    const type = node.type;
    if (type === 'QUOTE_DOUBLE') out += replaceRange(start, end, 'yaml-double');
    else if (type === 'QUOTE_SINGLE') out += replaceRange(start, end, 'yaml-single');
    else if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') out += replaceRange(start, end, 'yaml-block');
    else {
      // Plain scalar: raw text when it reads back as intended, else a double-quoted string.
      const raw = replaceRange(start, end, 'yaml-plain');
      const all = whole.exec(text.slice(start, end));
      let intended: unknown;
      if (all) {
        const hit = scalarOf(all[1]!);
        if (!hit.ok) {
          out += raw; // reported already
          continue;
        }
        intended = hit.value;
      } else {
        intended = String(node.value ?? '').replace(new RegExp(pattern.source, 'g'), (m, key: string) => {
          const hit = scalarOf(key);
          return hit.ok ? (hit.value === null ? '' : String(hit.value)) : m;
        });
      }
      out +=
        !/[\n,[\]{}]/.test(raw) && readsBackAs(raw, intended)
          ? raw
          : JSON.stringify(typeof intended === 'string' ? intended : String(intended));
    }
  }
  out += replaceRange(cursor, text.length, 'raw');
  return { text: out, used, problems };
}

function escapeFor(style: Style, value: string): string {
  switch (style) {
    case 'json-string':
    case 'yaml-double':
      return JSON.stringify(value).slice(1, -1);
    case 'yaml-single':
      return value.replace(/'/g, "''");
    default:
      return value;
  }
}

function readsBackAs(raw: string, intended: unknown): boolean {
  const source = `k: ${raw}\n`;
  let value = fastParseYaml(source)?.value;
  if (value === undefined) {
    const parsed = readYaml(source);
    if (parsed.errors.length) return false;
    value = parsed.value;
  }
  const v = (value as { k?: unknown } | null)?.k;
  return intended === null ? v === null : v === intended;
}
