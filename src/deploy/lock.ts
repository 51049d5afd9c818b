import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EnvError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * One deploy per environment at a time. The lock is a file in the repository's common git dir
 * (shared by every worktree of the clone) holding pid, host and start time; it is created with
 * O_EXCL, so two deploys cannot both win. A lock is stale — and taken over — when its process is
 * gone (same host) or it is older than any deploy can run. Jenkins' `lock()` step guards across
 * agents; this guards a workspace against a second run inside it.
 */
export interface LockInfo {
  pid: number;
  host: string;
  time: string;
  environment: string;
  commit: string;
}

/** Longer than any deploy: every call has a timeout, and a plan is a bounded list of calls. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

function lockPath(commonDir: string, environment: string): string {
  return join(commonDir, `wxo-policy-deploy-${environment}.lock`);
}

export interface Lock {
  path: string;
  /** Set when a stale lock was taken over: what it said. */
  recovered?: LockInfo | undefined;
  release(): void;
}

export function acquireLock(commonDir: string, environment: string, commit: string, now = new Date()): Lock {
  const path = lockPath(commonDir, environment);
  const info: LockInfo = { pid: process.pid, host: hostname(), time: now.toISOString(), environment, commit };
  let recovered: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(info)}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        path,
        recovered,
        release() {
          if (released) return;
          released = true;
          // Only our own lock: a stale-lock takeover by someone else must not be undone.
          const current = readLock(path);
          if (current && current.pid === info.pid && current.host === info.host && current.time === info.time) rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new EnvError(messages.deploy.lockUnwritable(path, (e as Error).message));
    }
    const holder = readLock(path) ?? halfWritten(path, environment);
    if (holder && !isStale(holder, now)) {
      throw new EnvError(messages.deploy.locked(environment, holder), messages.deploy.lockedHint(path));
    }
    recovered = holder ?? { pid: 0, host: '?', time: '?', environment, commit: '?' };
    rmSync(path, { force: true });
  }
  throw new EnvError(messages.deploy.lockUnwritable(path, 'another process keeps taking the lock'));
}

/** An unreadable lock file is being written right now, or was left half-written: held for 30 s after its last write. */
function halfWritten(path: string, environment: string): LockInfo | undefined {
  try {
    const st = statSync(path);
    return { pid: -1, host: '?', time: new Date(st.mtimeMs - STALE_AFTER_MS + 30_000).toISOString(), environment, commit: '?' };
  } catch {
    return undefined;
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined; // unreadable or half-written: halfWritten() judges it by age
  }
}

function isStale(lock: LockInfo, now = new Date()): boolean {
  const started = Date.parse(lock.time);
  if (!Number.isFinite(started) || now.getTime() - started > STALE_AFTER_MS) return true;
  if (lock.host !== hostname()) return false; // cannot see processes of another host
  return !processAlive(lock.pid);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
