import { hints } from '../../messages.js';
import type { Policy } from '../../policy/model.js';
import type { ResourceKind } from '../../resources/extract.js';
import type { FileResult, Finding } from '../types.js';

/**
 * references: names resolve inside the repository (or among the platform-provided names of the
 * policy); names are unique per kind; collaborators form no cycle; `${values.x}` keys exist.
 */
const KIND_WORDS: Record<string, string> = {
  agent: 'agent',
  tool: 'tool',
  knowledge_base: 'knowledge base',
  connection: 'connection',
  toolkit: 'toolkit',
  voice_config: 'voice configuration',
  model: 'model',
  model_policy: 'model policy',
  channel: 'channel',
  phone: 'phone configuration',
  file: 'file',
};

const PROVIDED_KEYS: Partial<Record<ResourceKind, keyof Policy['references']['provided']>> = {
  tool: 'tools',
  agent: 'agents',
  knowledge_base: 'knowledge_bases',
  connection: 'connections',
  toolkit: 'toolkits',
  voice_config: 'voice_configs',
};

export interface ReferenceInput {
  results: readonly FileResult[];
  /** Every path of the snapshot (document references point at files). */
  paths: ReadonlySet<string>;
  policy: Policy;
}

export function checkReferences({ results, paths, policy }: ReferenceInput): Finding[] {
  const level = policy.rules.references;
  if (level === 'off') return [];
  const severity = level === 'warning' ? 'warning' : 'error';
  const findings: Finding[] = [];
  const defined = new Map<string, { file: string; line: number }>();
  const key = (kind: string, name: string) => `${kind}\0${name}`;

  for (const r of results) {
    for (const decl of r.facts.resources) {
      const k = key(decl.kind, decl.name);
      const first = defined.get(k);
      if (first) {
        findings.push({ rule: 'references', severity, file: r.path, line: decl.line, column: decl.column, message: `${KIND_WORDS[decl.kind]} "${decl.name}" is also defined in ${first.file}:${first.line}; names must be unique per kind`, hint: hints.references });
      } else {
        defined.set(k, { file: r.path, line: decl.line });
      }
    }
  }
  const provided = (kind: ResourceKind) => new Set(policy.references.provided[PROVIDED_KEYS[kind]!] ?? []);
  const providedCache = new Map<string, Set<string>>();
  const isProvided = (kind: ResourceKind, name: string) => {
    if (!PROVIDED_KEYS[kind]) return false;
    if (!providedCache.has(kind)) providedCache.set(kind, provided(kind));
    return providedCache.get(kind)!.has(name);
  };

  const valueKeys = new Set(results.flatMap((r) => r.facts.valueKeys ?? []));
  const hasValuesFile = results.some((r) => r.facts.kind === 'values');
  for (const r of results) {
    for (const ref of r.facts.refs) {
      if (ref.kind === 'file') {
        const dir = r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/') + 1) : '';
        const target = normalize(dir + ref.name);
        if (!/^[a-z]+:\/\//i.test(ref.name) && !paths.has(target)) {
          findings.push({ rule: 'references', severity, file: r.path, line: ref.line, column: ref.column, message: `${KIND_WORDS[ref.from.kind]} "${ref.from.name}" lists document "${ref.name}", which is not in the repository (${target})`, hint: hints.references });
        }
        continue;
      }
      if (ref.kind === ref.from.kind && ref.name === ref.from.name && ref.kind === 'agent') {
        findings.push({ rule: 'references', severity, file: r.path, line: ref.line, column: ref.column, message: `agent "${ref.name}" lists itself as a collaborator`, hint: hints.references });
        continue;
      }
      if (defined.has(key(ref.kind, ref.name)) || isProvided(ref.kind, ref.name)) continue;
      findings.push({ rule: 'references', severity, file: r.path, line: ref.line, column: ref.column, message: `${KIND_WORDS[ref.from.kind]} "${ref.from.name}" refers to ${KIND_WORDS[ref.kind]} "${ref.name}" (${ref.via}), which is not defined in the repository`, hint: hints.references });
    }
    for (const v of r.facts.valueRefs ?? []) {
      if (valueKeys.has(v.key)) continue;
      findings.push({ rule: 'references', severity, file: r.path, line: v.line, column: v.column, message: hasValuesFile ? `\${values.${v.key}} is not defined in values.yaml` : `\${values.${v.key}} is used but the branch has no values.yaml`, hint: hints.references });
    }
  }
  findings.push(...collaboratorCycles(results, severity));
  return findings;
}

function collaboratorCycles(results: readonly FileResult[], severity: 'error' | 'warning'): Finding[] {
  const edges = new Map<string, string[]>();
  const where = new Map<string, { file: string; line: number; column: number }>();
  for (const r of results) {
    for (const d of r.facts.resources) if (d.kind === 'agent') where.set(d.name, { file: r.path, line: d.line, column: d.column });
    for (const ref of r.facts.refs) {
      if (ref.kind === 'agent' && ref.from.kind === 'agent' && ref.name !== ref.from.name) {
        edges.set(ref.from.name, [...(edges.get(ref.from.name) ?? []), ref.name]);
      }
    }
  }
  const cycles = findCycles(edges);
  return cycles.map((cycle) => {
    const at = where.get(cycle[0]!)!;
    return { rule: 'references' as const, severity, ...at, message: `collaborator cycle: ${[...cycle, cycle[0]].join(' → ')} (the ADK imports collaborators first; a cycle cannot be imported)`, hint: hints.references };
  });
}

/** Elementary cycles, each reported once, starting at its smallest name. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'active') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join('\0'), canonical);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}
