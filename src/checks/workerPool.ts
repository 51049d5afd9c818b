import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeInThread, type AnalyzeOptions } from './analyzeMany.js';
import type { FileResult } from './types.js';
import { resultCompactor } from './compact.js';

/**
 * Spreads file analysis over `jobs` threads: this one and jobs-1 workers. Batches go to whichever
 * thread is free (file sizes run from 1 KB to megabytes, so a static split would leave a core
 * idle), biggest first. Threads read their own files: contents never cross threads, only findings
 * and facts do. The engine starts them once the listing shows enough files to need them; loading
 * their modules overlaps with reading values.yaml and the facts cache.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly root: string,
    private readonly policy: Policy,
    readonly jobs: number,
  ) {
    for (let i = 1; i < jobs; i++) {
      const worker = waiting.shift() ?? startWorker();
      worker.ref();
      worker.postMessage({ setup: { root, policy } });
      this.workers.push(worker);
    }
  }

  async analyze(source: SnapshotSource, entries: readonly SnapshotEntry[], options: AnalyzeOptions): Promise<FileResult[]> {
    const batches = makeBatches(entries, this.jobs * 16);
    const results: FileResult[][] = [];
    // What a worker sends (JSON, see worker.ts) repeats every string: compacted as it arrives.
    const keep = resultCompactor();
    let next = 0;
    const take = () => (next < batches.length ? batches[next++]! : undefined);

    const runWorker = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        let pending = 0;
        const feed = () => {
          const batch = take();
          if (batch) {
            pending++;
            worker.postMessage({ source, batch, options });
          } else if (pending === 0) {
            worker.off('message', onMessage);
            worker.off('error', reject);
            resolve();
          }
        };
        const onMessage = (message: string) => {
          pending--;
          results.push((JSON.parse(message) as FileResult[]).map(keep));
          feed();
        };
        worker.on('message', onMessage);
        worker.on('error', reject);
        // One batch in hand and one queued: the worker never waits for this (busy) thread to feed it.
        feed();
        feed();
      });

    const runHere = async () => {
      for (let batch = take(); batch; batch = take()) {
        results.push(await analyzeInThread(this.root, source, batch, this.policy, options));
        // Let the workers' messages in: a busy main thread would leave them waiting for batches.
        await new Promise((r) => setImmediate(r));
      }
    };

    await Promise.all([runHere(), ...this.workers.map(runWorker)]);
    return results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const startWorker = () => new Worker(new URL('./worker.js', import.meta.url));

/** Workers started ahead of a pool (prestartWorkers); the first pools take them. */
const waiting: Worker[] = [];

/**
 * Starts `count` worker threads now, for a pool made later: a thread takes a few hundred
 * milliseconds to load its modules, which then overlaps the git commands and the policy read
 * before the listing. Until a pool takes them they do not keep the process alive.
 */
export function prestartWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = startWorker();
    worker.unref();
    waiting.push(worker);
  }
}

/**
 * Whether the index of a git dir lists at least `files` entries: its header says how many, so a
 * check of a small repository starts no thread it would not use. (A guess: a check reads the real listing.)
 */
export function indexHasAtLeast(gitDir: string, files: number): boolean {
  try {
    const fd = openSync(join(gitDir, 'index'), 'r');
    try {
      const header = Buffer.alloc(12);
      return readSync(fd, header, 0, 12, 0) === 12 && header.toString('latin1', 0, 4) === 'DIRC' && header.readUInt32BE(8) >= files;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Batches of about equal size in bytes, largest files first. Where sizes are unknown (a commit's
 * listing), files are dealt round-robin, so that one directory of big documents does not end up
 * in one batch.
 */
export function makeBatches(entries: readonly SnapshotEntry[], count: number): SnapshotEntry[][] {
  if (entries.some((e) => e.size === undefined)) {
    const n = Math.max(1, Math.min(count, entries.length));
    const batches: SnapshotEntry[][] = Array.from({ length: n }, () => []);
    entries.forEach((e, i) => batches[i % n]!.push(e));
    return batches;
  }
  const weight = (e: SnapshotEntry) => e.size! + 2048; // per-file overhead counts too
  const sorted = [...entries].sort((a, b) => weight(b) - weight(a));
  const total = sorted.reduce((sum, e) => sum + weight(e), 0);
  const target = Math.max(total / Math.max(1, count), 1);
  const batches: SnapshotEntry[][] = [];
  let current: SnapshotEntry[] = [];
  let size = 0;
  for (const e of sorted) {
    current.push(e);
    size += weight(e);
    if (size >= target) {
      batches.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}
