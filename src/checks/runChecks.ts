import { hints } from '../messages.js';
import { compileClassifier, type FileClassifier } from '../policy/fileClassifier.js';
import type { BranchInfo } from '../policy/environments.js';
import type { Policy } from '../policy/model.js';
import { listSnapshot, type SnapshotEntry, type SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeSnapshotFiles } from './analyzeMany.js';
import { checkReferences } from './rules/references.js';
import { applyAllowlist } from './suppressions.js';
import type { FileResult, Finding } from './types.js';

/**
 * The check engine: one pipeline for every scope. A scope is a snapshot (working tree, index or
 * commit) and optionally the subset of its files that changed; repository-wide rules
 * (references, tenant binding) always see the whole snapshot.
 */
export interface CheckRequest {
  root: string;
  policy: Policy;
  source: SnapshotSource;
  /** The files to judge; undefined: every file of the snapshot. */
  paths?: readonly string[];
  /** Explicit files outside git's view (check FILE… on untracked files). */
  extraEntries?: readonly SnapshotEntry[];
  /** The branch the snapshot belongs to, when known: enables tenant-binding against its tenant. */
  branch?: BranchInfo;
  /** Worker threads for file analysis (0: in this thread). */
  jobs?: number;
  today?: string;
}

export interface CheckResult {
  findings: Finding[];
  filesChecked: number;
}

export async function runChecks(req: CheckRequest): Promise<CheckResult> {
  const { policy } = req;
  const classifier = compileClassifier(policy);
  const snapshot = [...listSnapshot(req.root, req.source), ...(req.extraEntries ?? [])];
  const allPaths = new Set(snapshot.map((e) => e.path));
  const wanted = req.paths ? new Set(req.paths) : undefined;
  const targets = snapshot.filter((e) => (!wanted || wanted.has(e.path)) && !classifier.isIgnored(e.path));
  const targetSet = new Set(targets.map((e) => e.path));

  const results = await analyzeSnapshotFiles(req.root, req.source, targets, policy, req.jobs ?? 0);
  // Repository-wide rules need the facts of every resource file, changed or not.
  const context = wanted ? snapshot.filter((e) => !targetSet.has(e.path) && isResourceFile(e.path, classifier)) : [];
  const contextResults = context.length ? await analyzeSnapshotFiles(req.root, req.source, context, policy, req.jobs ?? 0) : [];
  const everything = [...results, ...contextResults];

  const findings: Finding[] = results.flatMap((r) => r.findings);
  findings.push(...forbiddenFiles(targets, classifier, policy));
  const repoFindings = [...checkReferences({ results: everything, paths: allPaths, policy }), ...tenantBinding(everything, policy, req.branch)];
  findings.push(...(wanted ? repoFindings.filter((f) => f.file && targetSet.has(f.file)) : repoFindings));

  const today = req.today ?? new Date().toISOString().slice(0, 10);
  const final = applyAllowlist(findings, policy.suppressions, today, !wanted);
  return { findings: sortFindings(final), filesChecked: targets.length };
}

function isResourceFile(path: string, classifier: FileClassifier): boolean {
  const kind = classifier.kindSetting(path);
  return kind !== undefined && kind !== 'none' && !classifier.isIgnored(path);
}

function forbiddenFiles(targets: readonly SnapshotEntry[], classifier: FileClassifier, policy: Policy): Finding[] {
  const level = policy.rules['forbidden-files'];
  if (level === 'off') return [];
  return targets
    .filter((e) => classifier.isForbidden(e.path))
    .map((e) => ({
      rule: 'forbidden-files' as const,
      severity: level === 'warning' ? ('warning' as const) : ('error' as const),
      file: e.path,
      line: 1,
      column: 1,
      message: 'this file must never be committed (forbidden_files: .env files, private keys, rendered connections)',
      hint: hints['forbidden-files'],
    }));
}

/**
 * tenant-binding: every tenant-scoped file declares a tenant of the policy, and on an
 * environment branch it is that environment's tenant.
 */
export function tenantBinding(results: readonly FileResult[], policy: Policy, branch?: BranchInfo): Finding[] {
  const level = policy.rules['tenant-binding'];
  if (level === 'off') return [];
  const severity = level === 'warning' ? ('warning' as const) : ('error' as const);
  const known = new Set(policy.tenants.map((t) => t.name));
  const out: Finding[] = [];
  for (const r of results) {
    const t = r.facts.tenant;
    if (!t) continue;
    const base = { rule: 'tenant-binding' as const, severity, file: r.path, line: t.line, column: t.column, hint: hints['tenant-binding'] };
    if (t.name === null) out.push({ ...base, message: 'tenant-scoped file declares no tenant (add `tenant: <name>` at the top level)' });
    else if (!known.has(t.name)) out.push({ ...base, message: `declares tenant "${t.name}", which is not a tenant of the policy (${[...known].join(', ')})` });
    else if (branch?.kind === 'environment' && branch.env.tenant !== t.name) {
      out.push({ ...base, message: `declares tenant "${t.name}" but branch ${branch.name} (${branch.env.name}) belongs to tenant "${branch.env.tenant}"` });
    }
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule),
  );
}

