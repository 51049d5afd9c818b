import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { positionAt, type Position } from './readYaml.js';

/** Splits an ajv instancePath ("/tools/0/name") into segments, undoing JSON-pointer escapes. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Where the node at `path` starts in the source. With `key`, points at the key of that
 * mapping entry instead of its value (for "unknown key" findings). Falls back to the deepest
 * existing ancestor, so a finding always gets a line.
 */
export function locate(
  doc: Document | undefined,
  lineCounter: LineCounter,
  path: readonly string[],
  options: { key?: string } = {},
): Position {
  let node: unknown = doc?.contents;
  let best: Position = { line: 1, column: 1 };
  const mark = (n: unknown) => {
    const range = (n as { range?: [number, number, number] } | undefined)?.range;
    if (range) best = positionAt(lineCounter, range[0]);
  };
  mark(node);
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) return best;
    if (next.keyNode) mark(next.keyNode);
    node = next.value;
    mark(node ?? next.keyNode);
  }
  if (options.key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === options.key);
    if (pair) mark(pair.key);
  }
  return best;
}

function child(node: unknown, segment: string): { value: unknown; keyNode?: unknown } | undefined {
  if (isMap(node)) {
    // Last one wins for duplicate keys, as in the parsed value.
    for (let i = node.items.length - 1; i >= 0; i--) {
      const pair = node.items[i]!;
      if (isScalar(pair.key) && String(pair.key.value) === segment) return { value: pair.value, keyNode: pair.key };
    }
    return undefined;
  }
  if (isSeq(node)) {
    const index = Number(segment);
    if (!Number.isInteger(index) || index < 0 || index >= node.items.length) return undefined;
    return { value: node.items[index] };
  }
  return undefined;
}
