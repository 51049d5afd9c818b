import { findCycles } from '../../resources/graph.js';
import { hints } from '../../messages.js';
import type { Policy } from '../../policy/model.js';
import { objectKind } from '../../kinds/catalogue.js';
import type { ResourceKind } from '../../kinds/types.js';
import { severityOf } from '../finding.js';
import type { FileFacts, FileResult, Finding, TargetKind } from '../types.js';
import { normalizePath } from '../../resources/paths.js';

/** Where a finding is reported. */
type Located = { file: string; line: number; column: number };

/**
 * references: names resolve inside the repository (or among the platform-provided names of the
 * policy); names are unique per kind; collaborators form no cycle; `${values.x}` keys exist.
 */
const wordOf = (kind: ResourceKind | 'file'): string => (kind === 'file' ? 'file' : objectKind(kind).word);

export interface ReferenceInput {
  results: readonly FileResult[];
  /** Every path of the snapshot (document references point at files). */
  paths: ReadonlySet<string>;
  policy: Policy;
  /** A check of part of a snapshot: which findings concern it (undefined: every finding). */
  scope?: ReferenceScope;
}

/**
 * What a partial check (staged files, a range, a pull request) reports: findings that involve a
 * judged file (a dangling reference in it, a duplicate or a collaborator cycle it takes part in),
 * and findings anywhere that point at something the change removed — a name, a document or a
 * values key (targetKey), or every reference at all when the change may have removed anything.
 */
export interface ReferenceScope {
  judged: ReadonlySet<string>;
  removed: ReadonlySet<string> | 'everything';
}

/** What a reference points at, as one string: `kind:name`, `file:path` or `value:key`. */
export const targetKey = (kind: TargetKind, name: string): string => `${kind}:${name}`;

/** The document a knowledge base lists: relative to the file that lists it; undefined for a URL. */
export function documentPath(file: string, name: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(name)) return undefined;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return normalizePath(dir + name);
}

/**
 * What these references of a file point at, for cached facts: a 16-bit hash of each targetKey, as
 * four hex digits, all in one string. Compact (the cache is read by every pre-commit), and sound for
 * what it is used for: a file whose hashes meet a removed target is analysed again, so a collision
 * costs one more read, never a missed finding.
 */
export function referenceHashes(file: string, refs: FileFacts['refs'], valueRefs: FileFacts['valueRefs'] = []): string {
  const hashes = new Set<string>();
  for (const ref of refs) {
    const name = ref.kind === 'file' ? documentPath(file, ref.name) : ref.name;
    if (name !== undefined) hashes.add(targetHash(targetKey(ref.kind, name)));
  }
  for (const v of valueRefs) hashes.add(targetHash(targetKey('value', v.key)));
  return [...hashes].join('');
}

/** A test of reference hashes: may the file refer to any of these targets (targetKey)? */
export function mayReferTo(keys: ReadonlySet<string>): (hashes: string) => boolean {
  const wanted = new Set([...keys].map(targetHash));
  return (hashes) => {
    for (let i = 0; i < hashes.length; i += 4) if (wanted.has(hashes.slice(i, i + 4))) return true;
    return false;
  };
}

/** FNV-1a over the UTF-16 code units, folded to 16 bits. */
function targetHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return ((h ^ (h >>> 16)) & 0xffff).toString(16).padStart(4, '0');
}

export function checkReferences({ results, paths, policy, scope }: ReferenceInput): Finding[] {
  const severity = severityOf(policy, 'references');
  if (!severity) return [];
  const findings: Finding[] = [];
  // `involved`: the files whose change may have caused it; `target`: what it points at (a partial
  // check also reports it when the change removed that).
  const report = (at: Located, message: string, involved: readonly string[], target?: string) => {
    if (
      !scope ||
      scope.removed === 'everything' ||
      involved.some((f) => scope.judged.has(f)) ||
      (target !== undefined && scope.removed.has(target))
    )
      findings.push({ rule: 'references', severity, file: at.file, line: at.line, column: at.column, message, hint: hints.references });
  };
  // By kind, then name: a lookup per reference hashes the name it has, not a `kind:name` made for it
  // (at 10,000 files, 65,000 references: that string was most of this rule's time).
  const defined = new Map<ResourceKind, Map<string, { file: string; line: number }>>();
  const definedOf = (kind: ResourceKind) => {
    let names = defined.get(kind);
    if (!names) defined.set(kind, (names = new Map()));
    return names;
  };
  const key = targetKey;

  for (const r of results) {
    for (const decl of r.facts.resources) {
      const names = definedOf(decl.kind);
      const first = names.get(decl.name);
      if (first) {
        report(
          { file: r.path, line: decl.line, column: decl.column },
          `${wordOf(decl.kind)} "${decl.name}" is also defined in ${first.file}:${first.line}; names must be unique per kind`,
          [r.path, first.file],
        );
      } else {
        names.set(decl.name, { file: r.path, line: decl.line });
      }
    }
  }
  const provided = (kind: ResourceKind) =>
    new Set([...(objectKind(kind).intrinsic ?? []), ...(policy.references.provided[objectKind(kind).provided!] ?? [])]);
  const providedCache = new Map<string, Set<string>>();
  const isProvided = (kind: ResourceKind, name: string) => {
    if (!objectKind(kind).provided) return false;
    if (!providedCache.has(kind)) providedCache.set(kind, provided(kind));
    return providedCache.get(kind)!.has(name);
  };

  const valueKeys = new Set(results.flatMap((r) => r.facts.valueKeys ?? []));
  const hasValuesFile = results.some((r) => r.facts.kind === 'values');
  // A partial check reports a reference of a file it does not judge only when it points at
  // something the change removed: with nothing removed, such files' references are not looked at.
  const onlyJudged = scope !== undefined && scope.removed !== 'everything' && scope.removed.size === 0;
  for (const r of results) {
    if (onlyJudged && !scope.judged.has(r.path)) continue;
    for (const ref of r.facts.refs) {
      if (ref.kind === 'file') {
        const target = documentPath(r.path, ref.name);
        if (target !== undefined && !paths.has(target)) {
          report(
            { file: r.path, line: ref.line, column: ref.column },
            `${wordOf(ref.from.kind)} "${ref.from.name}" lists document "${ref.name}", which is not in the repository (${target})`,
            [r.path],
            key('file', target),
          );
        }
        continue;
      }
      if (ref.kind === ref.from.kind && ref.name === ref.from.name && ref.kind === 'agent') {
        report({ file: r.path, line: ref.line, column: ref.column }, `agent "${ref.name}" lists itself as a collaborator`, [r.path]);
        continue;
      }
      if (defined.get(ref.kind)?.has(ref.name) || isProvided(ref.kind, ref.name)) continue;
      report(
        { file: r.path, line: ref.line, column: ref.column },
        `${wordOf(ref.from.kind)} "${ref.from.name}" refers to ${wordOf(ref.kind)} "${ref.name}" (${ref.via}), which is not defined in the repository`,
        [r.path],
        key(ref.kind, ref.name),
      );
    }
    for (const v of r.facts.valueRefs ?? []) {
      if (valueKeys.has(v.key)) continue;
      report(
        { file: r.path, line: v.line, column: v.column },
        hasValuesFile
          ? `\${values.${v.key}} is not defined in values.yaml`
          : `\${values.${v.key}} is used but the branch has no values.yaml`,
        [r.path],
        key('value', v.key),
      );
    }
  }
  for (const cycle of collaboratorCycles(results)) report(cycle.at, cycle.message, cycle.files);
  return findings;
}

/** Each cycle with the files that declare its agents (a change to any of them may have closed it). */
function collaboratorCycles(results: readonly FileResult[]): { at: Located; message: string; files: string[] }[] {
  const edges = new Map<string, string[]>();
  const where = new Map<string, Located>();
  for (const r of results) {
    for (const d of r.facts.resources) if (d.kind === 'agent') where.set(d.name, { file: r.path, line: d.line, column: d.column });
    for (const ref of r.facts.refs) {
      if (ref.kind === 'agent' && ref.from.kind === 'agent' && ref.name !== ref.from.name) {
        const next = edges.get(ref.from.name);
        if (next) next.push(ref.name);
        else edges.set(ref.from.name, [ref.name]);
      }
    }
  }
  const cycles = findCycles(edges);
  return cycles.map((cycle) => ({
    at: where.get(cycle[0]!)!,
    message: `collaborator cycle: ${[...cycle, cycle[0]].join(' → ')} (the ADK imports collaborators first; a cycle cannot be imported)`,
    files: cycle.flatMap((name) => where.get(name)?.file ?? []),
  }));
}
