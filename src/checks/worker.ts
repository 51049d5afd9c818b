import { parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeInThread, type AnalyzeOptions } from './analyzeMany.js';

/** Worker thread of workerPool: analyses the batches it is sent. */
const { root, source, policy, options } = workerData as { root: string; source: SnapshotSource; policy: Policy; options: AnalyzeOptions };

parentPort!.on('message', async (batch: SnapshotEntry[]) => {
  parentPort!.postMessage(await analyzeInThread(root, source, batch, policy, options));
});
