import { hints, messages } from '../messages.js';
import { compileClassifier, type FileClassifier } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';
import { readSnapshot, type FileContent, type SnapshotEntry, type SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeFile, type AnalyzeContext } from './analyzeFile.js';
import type { FileResult } from './types.js';
import { resultCompactor, type ResultCompactor } from './compact.js';
import type { WorkerPool } from './workerPool.js';

/**
 * What shapes an analysis besides the policy: a narrower job, the values files are deployed with;
 * `leaveOutEmpty`: no result for a file without findings and facts (a check that keeps no
 * per-file cache needs nothing of it: at 100,000 files, a third of them and ~10 MB).
 */
export type AnalyzeOptions = Pick<AnalyzeContext, 'only' | 'values'> & { leaveOutEmpty?: boolean };

/** Reads and analyses files of a snapshot in this thread. */
export async function analyzeInThread(
  root: string,
  source: SnapshotSource,
  entries: readonly SnapshotEntry[],
  policy: Policy,
  options: AnalyzeOptions = {},
  /**
   * posted: results posted to another thread are copied on the way (and compacted there): no copy
   * here. keep: the compactor of a bigger piece of work this batch is part of (default: its own).
   */
  { posted = false, keep }: { posted?: boolean; keep?: ResultCompactor } = {},
): Promise<FileResult[]> {
  const { leaveOutEmpty, ...analysis } = options;
  const ctx: AnalyzeContext = { policy, classifier: classifierOf(policy), ...analysis };
  const out: FileResult[] = [];
  const kept: (result: FileResult) => FileResult = posted ? (result) => result : (keep ?? resultCompactor());
  for await (const file of readSnapshot(root, source, entries)) {
    const result = await analyzeContent(file, ctx);
    if (!leaveOutEmpty || !isEmpty(result)) out.push(kept(result));
  }
  return out;
}

/** No finding, and every fact an empty list (no kind, tenant or values either). */
function isEmpty(result: FileResult): boolean {
  if (result.findings.length) return false;
  for (const key in result.facts) {
    const fact = result.facts[key as keyof FileResult['facts']];
    if (!Array.isArray(fact) || fact.length) return false;
  }
  return true;
}

/**
 * One classifier per policy: a thread analyses dozens of batches with the same policy, and compiling
 * its globs (picomatch, then irregexp on first use) cost each batch milliseconds.
 */
const classifiers = new WeakMap<Policy, FileClassifier>();
function classifierOf(policy: Policy): FileClassifier {
  let classifier = classifiers.get(policy);
  if (!classifier) classifiers.set(policy, (classifier = compileClassifier(policy)));
  return classifier;
}

export async function analyzeContent(file: FileContent, ctx: AnalyzeContext): Promise<FileResult> {
  const path = file.entry.path;
  if (file.content) {
    const result = await analyzeFile(path, file.content, ctx);
    return file.entry.oid ? { ...result, oid: file.entry.oid } : result;
  }
  if (file.error) {
    return {
      path,
      facts: { resources: [], refs: [] },
      findings: [
        {
          rule: 'secrets',
          severity: 'warning',
          file: path,
          line: 1,
          column: 1,
          message: messages.fileUnreadable(file.error),
          hint: hints.secrets,
        },
      ],
    };
  }
  return { path, facts: { resources: [], refs: [] }, findings: [] };
}

/** Below this many files, handing batches to threads costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 200;

/** A check of this many files keeps its heaps tight (see runChecks and WorkerPool). */
export const HUGE_CHECK = 30_000;

/** Entry point of the engine: in this thread, or spread over the pool's threads for big scopes. */
export async function analyzeSnapshotFiles(
  root: string,
  source: SnapshotSource,
  entries: readonly SnapshotEntry[],
  policy: Policy,
  options: AnalyzeOptions = {},
  pool?: WorkerPool,
): Promise<FileResult[]> {
  if (!pool || entries.length < MIN_FILES_FOR_WORKERS) return analyzeInThread(root, source, entries, policy, options);
  return pool.analyze(source, entries, options);
}
