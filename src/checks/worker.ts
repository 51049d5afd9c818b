import { parentPort } from 'node:worker_threads';
import type { Policy } from '../policy/model.js';
import type { SnapshotEntry, SnapshotSource } from '../snapshot/snapshot.js';
import { analyzeInThread, type AnalyzeOptions } from './analyzeMany.js';

/**
 * Worker thread of WorkerPool: analyses the batches it is sent. Its modules load as soon as it
 * starts; the repository and the policy come with its first message (a worker started early, see
 * prestartWorkers, is told them once the policy is read).
 */
let setup: { root: string; policy: Policy } | undefined;

type Message = { setup: { root: string; policy: Policy } } | { source: SnapshotSource; batch: SnapshotEntry[]; options: AnalyzeOptions };

parentPort!.on('message', async (message: Message) => {
  if ('setup' in message) {
    setup = message.setup;
    return;
  }
  const { source, batch, options } = message;
  // As JSON: one string crosses to the pool's thread, where JSON.parse rebuilds the results faster
  // than a structured clone of thousands of small objects would.
  parentPort!.postMessage(JSON.stringify(await analyzeInThread(setup!.root, source, batch, setup!.policy, options, { posted: true })));
});
