import type { Document, LineCounter } from 'yaml';
import { positionFinder } from '../yaml/textPosition.js';
import { messages } from '../messages.js';
import { fastParseYaml, type PositionIndex } from '../yaml/fastYaml.js';
import { jsonSyntaxError } from '../yaml/locateJson.js';
import { ADK_YAML_OPTIONS, OWN_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';

/**
 * The one way a wxO file is parsed — by the checks and by the deploy reader alike: JSON by
 * extension, everything else as YAML the way the ADK reads it (PyYAML, YAML 1.1), by the fast
 * path when it can (it agrees with the yaml package), else the full parser. wxo-policy's own
 * policy file is YAML 1.2 (`own`).
 */
export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

export interface ParsedFile {
  ok: boolean;
  value: unknown;
  json: boolean;
  documentCount: number;
  errors: ParseProblem[];
  warnings: ParseProblem[];
  /** Where nodes are (whichever parser ran): for line:column of findings. */
  fastPositions?: PositionIndex;
  yamlDoc?: { doc: Document | undefined; lineCounter: LineCounter };
  /** Documents after the first of a YAML stream: read by no ADK command, but a secret there is in git. */
  laterDocs?: Document[];
}

export const isJsonPath = (path: string) => /\.json$/i.test(path);

/**
 * Deeper than any wxO file, shallow enough for every recursive reader (the YAML composer, toJS,
 * the schema validator, our walkers): a 10k-deep flow sequence would overflow the stack and end the
 * whole run. PyYAML stops at Python's recursion limit too, so the ADK could not read such a file.
 */
export const MAX_NESTING = 256;

/** Where `[`/`{` nesting first exceeds `limit` (quoted strings skipped), or -1. Linear, no recursion. */
export function nestingTooDeepAt(text: string, limit = MAX_NESTING): number {
  // Nesting is at most the number of openers: most files have too few to need the scan.
  if (!mayNestDeeperThan(text, limit)) return -1;
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote) {
      if (ch === BACKSLASH && quote === DOUBLE_QUOTE) i++;
      else if (ch === quote) quote = 0;
      continue;
    }
    if (ch === DOUBLE_QUOTE || (ch === SINGLE_QUOTE && (i === 0 || OPENS_SINGLE_QUOTE.test(text[i - 1]!)))) quote = ch;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return i;
    } else if ((ch === 0x5d || ch === 0x7d) && depth > 0) depth--;
  }
  return -1;
}
const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const OPENS_SINGLE_QUOTE = /[\s,[{:]/;

/** Whether the text has more than `limit` `[` and `{` together (counted by indexOf, which is native). */
function mayNestDeeperThan(text: string, limit: number): boolean {
  let openers = 0;
  for (const opener of ['[', '{']) {
    for (let at = text.indexOf(opener); at >= 0; at = text.indexOf(opener, at + 1)) if (++openers > limit) return true;
  }
  return false;
}

export function parseWxoFile(path: string, text: string, options: { own?: boolean } = {}): ParsedFile {
  const json = isJsonPath(path);
  const tooDeep = nestingTooDeepAt(text);
  if (tooDeep >= 0) {
    return {
      ok: false,
      value: undefined,
      json,
      documentCount: 1,
      errors: [{ ...positionFinder(text)(tooDeep), message: messages.nestedTooDeep(MAX_NESTING) }],
      warnings: [],
    };
  }
  if (json) {
    try {
      return { ok: true, value: JSON.parse(text), json, documentCount: 1, errors: [], warnings: [] };
    } catch {
      // Not JSON.parse's message: it may quote the source (a secret next to the error).
      const error = jsonSyntaxError(text) ?? { offset: 0, problem: 'not valid JSON' };
      return {
        ok: false,
        value: undefined,
        json,
        documentCount: 1,
        errors: [{ ...positionFinder(text)(error.offset), message: messages.invalidJson(error.problem) }],
        warnings: [],
      };
    }
  }
  const fast = options.own ? undefined : fastParseYaml(text);
  if (fast) return { ok: true, value: fast.value, json, documentCount: 1, errors: [], warnings: [], fastPositions: fast.positions };
  const parsed = readYaml(text, options.own ? OWN_YAML_OPTIONS : ADK_YAML_OPTIONS);
  const strip = (p: { line: number; column: number; message: string }): ParseProblem => ({
    line: p.line,
    column: p.column,
    message: p.message,
  });
  return {
    ok: parsed.errors.length === 0,
    value: parsed.errors.length === 0 ? parsed.value : undefined,
    json,
    documentCount: parsed.documentCount,
    errors: parsed.errors.map(strip),
    warnings: parsed.warnings.map(strip),
    yamlDoc: { doc: parsed.doc, lineCounter: parsed.lineCounter },
    ...(parsed.laterDocs.length ? { laterDocs: parsed.laterDocs } : {}),
  };
}
