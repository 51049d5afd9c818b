import { parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeInThread, type AnalyzeOptions } from './analyzeMany.js';

/** Worker thread of WorkerPool: analyses the batches it is sent. */
const { root, policy } = workerData as { root: string; policy: Policy };

parentPort!.on(
  'message',
  async ({ source, batch, options }: { source: SnapshotSource; batch: SnapshotEntry[]; options: AnalyzeOptions }) => {
    parentPort!.postMessage(await analyzeInThread(root, source, batch, policy, options));
  },
);
