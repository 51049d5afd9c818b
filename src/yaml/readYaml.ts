import { Composer, Document, isMap, isScalar, isSeq, LineCounter, Parser, type Node as YamlNode } from 'yaml';

/**
 * YAML as the wxO ADK reads it (PyYAML safe_load, YAML 1.1): yes/no/on/off are booleans,
 * timestamps stay strings, duplicate keys are accepted with the last one winning.
 */
export const ADK_YAML_OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: false,
  customTags: (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp'),
  prettyErrors: false,
};

export interface Position {
  line: number;
  column: number;
}

export interface YamlProblem extends Position {
  message: string;
  severity: 'error' | 'warning';
  /** Set for duplicate-key warnings: the key that appears more than once. */
  key?: string;
}

export interface ParsedYaml {
  /** The first (for wxO files: the only) document. */
  doc: Document.Parsed | undefined;
  /** The second and later documents (secrets are looked for in every document). */
  laterDocs: Document.Parsed[];
  documentCount: number;
  value: unknown;
  lineCounter: LineCounter;
  errors: YamlProblem[];
  warnings: YamlProblem[];
}

export function positionAt(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * wxo-policy's own files (the policy) are YAML 1.2: `off` is a rule level there, not `false`.
 * Duplicate keys are still accepted (and warned about) the same way.
 */
export const OWN_YAML_OPTIONS = { version: '1.2' as const, uniqueKeys: false, prettyErrors: false };

/** Parses every document of a YAML stream; never throws. ADK semantics unless told otherwise. */
export function readYaml(text: string, options: object = ADK_YAML_OPTIONS): ParsedYaml {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(options as any);
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(parser.parse(text), true)) docs.push(doc as Document.Parsed);
  const errors: YamlProblem[] = [];
  const warnings: YamlProblem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      errors.push({ ...positionAt(lineCounter, e.pos[0]), message: cleanYamlMessage(e.message), severity: 'error' });
    }
    for (const w of doc.warnings) {
      warnings.push({ ...positionAt(lineCounter, w.pos[0]), message: cleanYamlMessage(w.message), severity: 'warning' });
    }
    if (doc.errors.length === 0) collectDuplicateKeys(doc.contents, lineCounter, warnings);
  }
  const doc = docs[0];
  let value: unknown = null;
  if (doc && errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      errors.push({ line: 1, column: 1, message: cleanYamlMessage((err as Error).message), severity: 'error' });
    }
  }
  return { doc, laterDocs: docs.slice(1), documentCount: docs.length, value, lineCounter, errors, warnings };
}

/**
 * The yaml package appends a source excerpt to its messages, and several quote what they could not
 * read (an alias, a tag, an escape, a directive): under `password:` that is the secret. Findings
 * carry line:col instead, so the quoted part is cut from every message.
 */
export function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const cut = first
    .replace(/^Invalid escape sequence .*$/s, 'Invalid escape sequence')
    .replace(/^Unresolved plain scalar .*$/s, 'Unresolved plain scalar')
    .replace(/^Verbatim tags aren't resolved, so .* is invalid\.?$/s, "Verbatim tags aren't resolved")
    .replace(/^The .* tag has no suffix$/s, 'A tag has no suffix')
    .replace(/^(Unknown directive|Unsupported YAML version|Tag|Unknown custom tag) .*$/s, '$1')
    .replace(
      /^(Unexpected|Anchors and tags must be after the) (\S{2,}) (in|indicator)\b/,
      (_m, a: string, _s: string, b: string) => `${a} token ${b}`,
    );
  // "Unresolved alias (…): NAME", "Unresolved tag: !VALUE", "Could not resolve tag: …": the words before the colon.
  const colon = cut.indexOf(': ');
  return colon > 0 ? cut.slice(0, colon) : cut;
}

function collectDuplicateKeys(node: unknown, lineCounter: LineCounter, out: YamlProblem[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key;
      if (isScalar(key)) {
        const name = String(key.value);
        if (seen.has(name) && key.range) {
          out.push({
            ...positionAt(lineCounter, key.range[0]),
            message: `duplicate key "${name}": the ADK keeps the last value`,
            severity: 'warning',
            key: name,
          });
        }
        seen.add(name);
      }
      collectDuplicateKeys(pair.value, lineCounter, out);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) collectDuplicateKeys(item, lineCounter, out);
  }
}

export type { YamlNode };
