import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileClassifier } from '../policy/fileClassifier.js';
import type { Policy } from '../policy/model.js';
import { listSnapshot } from '../snapshot/snapshot.js';
import { analyzeSnapshotFiles } from './analyzeMany.js';
import { FactsCache } from './factsCache.js';
import { safeMkdir } from '../fs/safeWrite.js';

/**
 * Warming the facts cache in the background. A partial check (pre-commit, `check PATH`) whose facts
 * cache knows too few of the repository's files finds its context by searching the repository
 * (`git grep`) and reading what it finds: correct, but a big repository pays for it on every commit.
 * After such a check, a detached process at the lowest priority computes the facts of every resource
 * file of the index into the cache (as git detaches its automatic gc), so the next check takes the
 * whole context from the cache. One at a time (a lock file beside the cache); best effort: a warm-up
 * that fails or is killed only leaves the next check to search again. The cache stays exact: its
 * entries are keyed by blob id and path, computed by the same code under the same policy.
 */

/** A lock older than this is left over by a warm-up that died: the next check may start another. */
const STALE_LOCK_MS = 10 * 60_000;

const lockFile = (cacheDir: string) => join(cacheDir, 'wxo-policy', 'warm.lock');

/** Starts the warm-up unless one is running; never throws, never waits for it. */
export function warmFactsInBackground(root: string, cacheDir: string, policy: Policy): void {
  try {
    safeMkdir(cacheDir, 'wxo-policy');
    const lock = lockFile(cacheDir);
    if (!takeLock(lock)) return;
    const child = spawn(process.execPath, [fileURLToPath(new URL('./warmFactsMain.js', import.meta.url)), root, cacheDir], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      cwd: root,
    });
    child.on('error', () => rmSync(lock, { force: true }));
    child.stdin!.on('error', () => {}); // it died early: it removed its lock or the lock goes stale
    child.stdin!.end(JSON.stringify(policy));
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
  } catch {
    // best effort: the next check searches again
  }
}

/** O_EXCL: of two checks that finish at once, one starts the warm-up. */
function takeLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false; // no cache dir yet, read-only …
    try {
      if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
      rmSync(lock, { force: true });
      return takeLock(lock);
    } catch {
      return false;
    }
  }
}

/** The warm-up itself (warmFactsMain.ts): facts of every resource file of the index not yet cached. */
export async function warmFacts(root: string, cacheDir: string, policy: Policy): Promise<number> {
  const classifier = compileClassifier(policy);
  const cache = FactsCache.load(cacheDir, policy.hash);
  const index = listSnapshot(root, { type: 'index' });
  const missing = index.filter((e) => {
    const kind = classifier.kindSetting(e.path);
    return kind !== undefined && kind !== 'none' && !classifier.isIgnored(e.path) && e.oid && !cache.get(e.oid, e.path);
  });
  if (missing.length === 0) return 0;
  for (const r of await analyzeSnapshotFiles(root, { type: 'index' }, missing, policy, { only: 'facts' }, undefined))
    if (r.oid) cache.set(r.oid, r.path, r.facts);
  cache.save(() => new Set(index.flatMap((e) => (e.oid ? [`${e.oid}:${e.path}`] : []))));
  return missing.length;
}

/** Entry of the detached process: argv root, cache dir; the policy on stdin. */
export async function warmFactsMain(argv: readonly string[], stdin: NodeJS.ReadableStream): Promise<void> {
  const [root, cacheDir] = argv;
  if (!root || !cacheDir) return;
  try {
    setPriority(19);
  } catch {
    // not allowed: run anyway
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    const policy = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Policy;
    if (typeof policy?.hash === 'string') await warmFacts(root, cacheDir, policy);
  } catch {
    // best effort
  } finally {
    rmSync(lockFile(cacheDir), { force: true });
  }
}
