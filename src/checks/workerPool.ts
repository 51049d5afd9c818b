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
    /** A check of HUGE_CHECK files or more: the threads keep their heaps small (startWorker). */
    huge = false,
  ) {
    for (let i = 1; i < jobs; i++) {
      const worker = waiting.shift() ?? startWorker(huge);
      worker.ref();
      worker.postMessage({ setup: { root, policy } });
      this.workers.push(worker);
    }
  }

  async analyze(source: SnapshotSource, entries: readonly SnapshotEntry[], options: AnalyzeOptions): Promise<FileResult[]> {
    const queue = new BatchQueue(entries, this.jobs);
    const results: FileResult[][] = [];
    // One compactor for every thread's results (short strings shared across batches). What a
    // worker sends (JSON, see worker.ts) is parsed into fresh strings: shared, not copied again.
    const keep = resultCompactor();
    const keepParsed = (result: FileResult) => keep(result, { fresh: true });

    const runWorker = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        let pending = 0;
        const feed = () => {
          const batch = queue.take();
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
          results.push((JSON.parse(message) as FileResult[]).map(keepParsed));
          feed();
        };
        worker.on('message', onMessage);
        worker.on('error', reject);
        // One batch in hand and one queued: the worker never waits for this (busy) thread to feed it.
        feed();
        feed();
      });

    // This thread takes the smallest batches: between two it lets the workers' messages in (a
    // worker waiting for its next batch would idle), and a small last batch ends with the others'.
    const runHere = async () => {
      for (let batch = queue.take(queue.smallest); batch; batch = queue.take(queue.smallest)) {
        results.push(await analyzeInThread(this.root, source, batch, this.policy, options, { keep }));
        await new Promise((r) => setImmediate(r));
      }
    };

    await Promise.all([runHere(), ...this.workers.map(runWorker)]);
    return results.flat();
  }

  /**
   * Stops the threads without waiting for them to wind down (tens of milliseconds each, on a busy
   * machine more): the check goes on with its repository-wide rules and its report meanwhile.
   */
  close(): void {
    for (const worker of this.workers) {
      worker.unref();
      void worker.terminate();
    }
  }
}

/**
 * The young generation of a worker of a huge check: V8 lets it grow to 48 MB (2 × 16 MB semi-
 * spaces and more) although a worker holds one batch at a time. At 100,000 files that was
 * 50 MB of the peak memory; smaller, it collects more often, for a few % more CPU: paid only there.
 */
const HUGE_CHECK_YOUNG_MB = 8;

const startWorker = (huge: boolean) =>
  new Worker(new URL('./worker.js', import.meta.url), huge ? { resourceLimits: { maxYoungGenerationSizeMb: HUGE_CHECK_YOUNG_MB } } : {});

/** Workers started ahead of a pool (prestartWorkers); the first pools take them. */
const waiting: Worker[] = [];

/**
 * Starts `count` worker threads now, for a pool made later: a thread takes a few hundred
 * milliseconds to load its modules, which then overlaps the git commands and the policy read
 * before the listing. Until a pool takes them they do not keep the process alive.
 */
export function prestartWorkers(count: number, huge = false): void {
  for (let i = 0; i < count; i++) {
    const worker = startWorker(huge);
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

/** The share of the work left that one batch takes: batches shrink as the work runs out. */
const SHARE_OF_REST = 4;
/**
 * The biggest and the smallest batch, as shares of the whole work per thread: at 10,000 files on
 * 2 threads, 312 and 78 files. (A worker holds a batch's results twice, as objects and as JSON: at
 * 100,000 files a bigger batch would weigh on the peak memory.)
 */
const LARGEST_OF_WORK = 16;
const SMALLEST_OF_WORK = 64;

/**
 * The files of one piece of work, handed out in batches to whichever thread asks for one (file
 * sizes run from 1 KB to megabytes, and a YAML file costs more per byte than a document, so a
 * static split would leave a core idle). A batch is a share of what is left (guided scheduling):
 * big while there is much to do, so few messages cross, and small at the end, so that the threads
 * finish together. Where sizes are known (the work tree), the biggest files go first; where they
 * are not (a commit's listing), the files are dealt across the listing, so that one directory of
 * big documents does not end up in one batch.
 */
export class BatchQueue {
  private readonly order: readonly SnapshotEntry[];
  private readonly weights: readonly number[];
  private next = 0;
  private rest: number;
  /** The weight of the smallest batch (take's limit for a thread that wants to stay responsive). */
  readonly smallest: number;
  private readonly largest: number;

  constructor(
    entries: readonly SnapshotEntry[],
    private readonly threads: number,
  ) {
    const sized = entries.every((e) => e.size !== undefined);
    // per-file overhead counts too
    const weight = (e: SnapshotEntry) => (sized ? e.size! + 2048 : 1);
    this.order = sized ? [...entries].sort((a, b) => weight(b) - weight(a)) : dealt(entries, threads * SMALLEST_OF_WORK);
    this.weights = this.order.map(weight);
    this.rest = this.weights.reduce((sum, w) => sum + w, 0);
    this.smallest = this.rest / (Math.max(1, threads) * SMALLEST_OF_WORK);
    this.largest = this.rest / (Math.max(1, threads) * LARGEST_OF_WORK);
  }

  /** The next batch (at least one file, at most about `limit`); undefined once every file is handed out. */
  take(limit = Infinity): SnapshotEntry[] | undefined {
    if (this.next >= this.order.length) return undefined;
    const share = this.rest / (Math.max(1, this.threads) * SHARE_OF_REST);
    const target = Math.min(limit, this.largest, Math.max(this.smallest, share));
    const start = this.next;
    let taken = 0;
    while (this.next < this.order.length && (this.next === start || taken + this.weights[this.next]! <= target))
      taken += this.weights[this.next++]!;
    this.rest -= taken;
    return this.order.slice(start, this.next);
  }
}

/** The entries in `hands` interleaved hands (0, n, 2n, …, then 1, n+1, …): any run of them spans the listing. */
function dealt(entries: readonly SnapshotEntry[], hands: number): SnapshotEntry[] {
  const out: SnapshotEntry[] = [];
  const n = Math.max(1, Math.min(hands, entries.length));
  for (let hand = 0; hand < n; hand++) for (let i = hand; i < entries.length; i += n) out.push(entries[i]!);
  return out;
}
