import type { Extracted } from './types.js';

/**
 * Python tools: functions decorated with `@tool` — or `@flow`, a Python flow the ADK imports with
 * `tools import -k flow` (variant flow) — named by `name="…"` when given, else the function; and the
 * connections each of them expects (`app_id="…"`, normally in `expected_credentials` of its
 * decorator). An `app_id` belongs to the tool whose decorator or body holds it; one that appears
 * before the first tool (a module constant) cannot be attributed and belongs to every tool.
 */
const TOOL_DECORATOR = /^[ \t]*@(tool|flow)\b/gm;
const AFTER_DECORATOR = /^\s*\n(?:[ \t]*@[^\n]*\n)*[ \t]*(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/;
const APP_ID = /\bapp_id\s*=\s*["']([^"']+)["']/g;

export function extractPythonTools(text: string): Extracted {
  const out: Extracted = { resources: [], refs: [] };
  const found: { name: string; start: number; nameOffset: number; variant: 'python' | 'flow' }[] = [];
  for (const m of text.matchAll(TOOL_DECORATOR)) {
    let cursor = m.index! + m[0].length;
    let args = '';
    const open = /^[ \t]*\(/.exec(text.slice(cursor));
    if (open) {
      const close = matchingParen(text, cursor + open[0].length - 1);
      if (close < 0) continue;
      args = text.slice(cursor + open[0].length, close);
      cursor = close + 1;
    }
    const def = AFTER_DECORATOR.exec(text.slice(cursor));
    if (!def) continue;
    const explicit = /\bname\s*=\s*["']([^"']+)["']/.exec(stripNested(args))?.[1];
    const nameOffset = cursor + def.index + def[0].length - def[1]!.length;
    found.push({ name: explicit ?? def[1]!, start: m.index!, nameOffset, variant: m[1] === 'flow' ? 'flow' : 'python' });
  }
  for (const tool of found)
    out.resources.push({ kind: 'tool', name: tool.name, variant: tool.variant, anchor: { offset: tool.nameOffset } });
  for (const m of text.matchAll(APP_ID)) {
    const offset = m.index!;
    // The tool whose region (decorator start up to the next tool's decorator) holds the app_id.
    let owner = -1;
    for (let i = 0; i < found.length; i++) if (found[i]!.start <= offset) owner = i;
    const owners = owner < 0 ? found : [found[owner]!];
    for (const tool of owners) {
      if (out.refs.some((r) => r.from.name === tool.name && r.name === m[1])) continue;
      out.refs.push({ kind: 'connection', name: m[1]!, from: { kind: 'tool', name: tool.name }, via: 'app_id', anchor: { offset } });
    }
  }
  return out;
}

/** Index of the `)` closing the `(` at `open`, skipping string literals; -1 when unbalanced. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const end = triple ? text.indexOf(c.repeat(3), i + 3) : findQuoteEnd(text, i);
      if (end < 0) return -1;
      i = triple ? end + 2 : end;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

function findQuoteEnd(text: string, start: number): number {
  const q = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === q) return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

/** Decorator arguments without nested calls, so `name=` of ExpectedCredentials(...) is not the tool's. */
function stripNested(args: string): string {
  let out = '';
  let depth = 0;
  for (const c of args) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
