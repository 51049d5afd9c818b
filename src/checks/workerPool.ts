import { Worker } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import type { AnalyzeContext } from './analyzeFile.js';
import type { FileResult } from './types.js';

/**
 * Spreads file analysis over worker threads. Workers pull batches from a shared queue (file
 * sizes vary from 1 KB to megabytes, so a static split would leave one core idle) and read
 * their files themselves: contents never cross threads, only findings and facts do.
 */
export async function analyzeInWorkers(
  root: string,
  source: SnapshotSource,
  entries: readonly SnapshotEntry[],
  policy: Policy,
  jobs: number,
  only?: AnalyzeContext['only'],
): Promise<FileResult[]> {
  const batchSize = Math.max(32, Math.ceil(entries.length / (jobs * 6)));
  const batches: SnapshotEntry[][] = [];
  for (let i = 0; i < entries.length; i += batchSize) batches.push(entries.slice(i, i + batchSize));
  const results: FileResult[][] = new Array(batches.length);
  let next = 0;

  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { root, source, policy, only } });
      let current = -1;
      const feed = () => {
        if (next >= batches.length) {
          void worker.terminate();
          resolve();
          return;
        }
        current = next++;
        worker.postMessage(batches[current]);
      };
      worker.on('message', (message: FileResult[]) => {
        results[current] = message;
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (next < batches.length || results[current] === undefined) reject(new Error(`worker exited with code ${code}`));
      });
      feed();
    });

  await Promise.all(Array.from({ length: Math.min(jobs, batches.length) }, runWorker));
  return results.flat();
}
