import { parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import type { AnalyzeContext } from './analyzeFile.js';
import { analyzeInThread } from './analyzeMany.js';

/** Worker thread of workerPool: analyses the batches it is sent. */
const { root, source, policy, only } = workerData as { root: string; source: SnapshotSource; policy: Policy; only?: AnalyzeContext['only'] };

parentPort!.on('message', async (batch: SnapshotEntry[]) => {
  parentPort!.postMessage(await analyzeInThread(root, source, batch, policy, only));
});
