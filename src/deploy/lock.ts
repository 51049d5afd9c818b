import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EnvError } from '../errors.js';
import { safeCreateExclusive, safeWriteFile } from '../fs/safeWrite.js';
import { messages } from '../messages.js';
import { readTextIfExists } from '../fs/readText.js';

/**
 * One deploy per environment at a time. The lock is a file in the repository's common git dir
 * (shared by every worktree of the clone) holding pid, host, start time, a random nonce and the
 * process groups of the orchestrate calls running for it. Jenkins' `lock()` step guards across
 * agents; this guards a workspace against a second run inside it.
 *
 * Atomic, also under contention:
 * - the lock is created complete or not at all: written to a temporary file and hard-linked to
 *   its name (link fails when the name exists), so no one reads half a lock;
 * - a stale lock (its process is gone on this host, or it is older than any deploy can run) is
 *   removed only by the one contender that creates the takeover token named after that lock's
 *   exact content; the content (with its nonce) never repeats, so a contender that judged an
 *   older lock can never remove a newer one. The remover then competes for the link like anyone.
 * - a stale lock's orchestrate process groups (a deploy killed with SIGKILL leaves them running)
 *   are killed before it is taken over — on Linux only processes that carry the dead deploy's
 *   nonce in their environment.
 */
export interface LockInfo {
  pid: number;
  host: string;
  time: string;
  environment: string;
  commit: string;
  nonce?: string;
  /** Process groups of the orchestrate calls running now (each call leads its own group). */
  children?: number[];
}

/** Environment variable that marks the orchestrate processes of a deploy (see killOrphans). */
export const DEPLOY_NONCE_VARIABLE = 'WXO_POLICY_DEPLOY_NONCE';

/** Longer than any deploy: every call has a timeout, and a plan is a bounded list of calls. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
/** A takeover takes milliseconds: a token this old was left by a process that died in it. */
const TOKEN_STALE_MS = 10_000;

function lockPath(commonDir: string, environment: string): string {
  return join(commonDir, `wxo-policy-deploy-${environment}.lock`);
}

export interface Lock {
  path: string;
  nonce: string;
  /** Set when a stale lock was taken over: what it said, and the orphaned process groups killed. */
  recovered?: (LockInfo & { killed: number[] }) | undefined;
  /** The orchestrate call `pid` (a process group leader) runs for this deploy / has ended. */
  addChild(pid: number): void;
  removeChild(pid: number): void;
  release(): void;
}

export function acquireLock(commonDir: string, environment: string, commit: string, now = new Date()): Lock {
  const path = lockPath(commonDir, environment);
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    time: now.toISOString(),
    environment,
    commit,
    nonce: randomBytes(12).toString('hex'),
    children: [],
  };
  let recovered: Lock['recovered'];
  let current = `${JSON.stringify(info)}\n`;
  const write = (next: LockInfo) => {
    const text = `${JSON.stringify(next)}\n`;
    if (readTextIfExists(path) !== current) return; // not ours any more (taken over as stale): leave it
    safeWriteFile(commonDir, path, text, { mode: 0o600 });
    current = text;
  };
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    let created: boolean;
    try {
      created = safeCreateExclusive(commonDir, path, current, { mode: 0o600 });
    } catch (e) {
      throw new EnvError(messages.deploy.lockUnwritable(path, (e as Error).message));
    }
    if (created) {
      let released = false;
      return {
        path,
        nonce: info.nonce!,
        recovered,
        addChild(pid) {
          info.children = [...(info.children ?? []), pid];
          write(info);
        },
        removeChild(pid) {
          info.children = (info.children ?? []).filter((p) => p !== pid);
          write(info);
        },
        release() {
          if (released) return;
          released = true;
          // Only our own lock: a stale-lock takeover by someone else must not be undone.
          if (readTextIfExists(path) === current) rmSync(path, { force: true });
        },
      };
    }
    const seen = readTextIfExists(path);
    if (seen === undefined) continue; // released meanwhile: try again
    const holder = parseLock(seen) ?? halfWritten(path, environment);
    if (holder && !isStale(holder, now)) {
      throw new EnvError(messages.deploy.locked(environment, holder), messages.deploy.lockedHint(path));
    }
    if (takeOver(commonDir, path, seen, current)) {
      const dead = holder ?? { pid: 0, host: '?', time: '?', environment, commit: '?' };
      recovered = { ...dead, killed: killOrphans(dead) };
    } else {
      sleep(20); // another contender is taking this stale lock over: look again in a moment
    }
  }
  throw new EnvError(messages.deploy.lockUnwritable(path, 'another process keeps taking the lock'));
}

/**
 * Removes the stale lock whose text is `seen` — if this process wins the takeover token for that
 * very text. Returns whether it removed it.
 */
function takeOver(commonDir: string, path: string, seen: string, ours: string): boolean {
  const token = `${path}.takeover-${createHash('sha256').update(seen).digest('hex').slice(0, 24)}`;
  if (!safeCreateExclusive(commonDir, token, ours, { mode: 0o600 })) {
    // Its holder died in the middle of a takeover (milliseconds long): clear the way.
    try {
      if (Date.now() - statSync(token).mtimeMs > TOKEN_STALE_MS) rmSync(token, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  try {
    // Only the token holder removes a lock with this text, and no lock is ever written with it again.
    if (readTextIfExists(path) !== seen) return false;
    rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(token, { force: true });
  }
}

/**
 * The orchestrate process groups a dead deploy left running: killed, so that they do not go on
 * changing the tenant under the next deploy. On Linux a group is killed only when its leader
 * carries the dead deploy's nonce (a reused pid is someone else's process).
 */
function killOrphans(dead: LockInfo): number[] {
  if (dead.host !== hostname() || !Array.isArray(dead.children)) return [];
  const killed: number[] = [];
  for (const pgid of dead.children) {
    if (!Number.isInteger(pgid) || pgid <= 1 || !processAlive(-pgid)) continue;
    if (existsSync('/proc/self/environ')) {
      let environ = '';
      try {
        environ = readFileSync(`/proc/${pgid}/environ`, 'latin1');
      } catch {
        continue;
      }
      if (!dead.nonce || !environ.split('\0').includes(`${DEPLOY_NONCE_VARIABLE}=${dead.nonce}`)) continue;
    }
    try {
      process.kill(-pgid, 'SIGKILL');
      killed.push(pgid);
    } catch {
      /* ended meanwhile */
    }
  }
  return killed;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** An unreadable lock file (an older version's half-written lock): held for 30 s after its last write. */
function halfWritten(path: string, environment: string): LockInfo | undefined {
  try {
    const st = statSync(path);
    return { pid: -1, host: '?', time: new Date(st.mtimeMs - STALE_AFTER_MS + 30_000).toISOString(), environment, commit: '?' };
  } catch {
    return undefined;
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const info = JSON.parse(text) as LockInfo;
    return info && typeof info === 'object' ? info : undefined;
  } catch {
    return undefined;
  }
}

function isStale(lock: LockInfo, now = new Date()): boolean {
  const started = Date.parse(lock.time);
  if (!Number.isFinite(started) || now.getTime() - started > STALE_AFTER_MS) return true;
  if (lock.host !== hostname()) return false; // cannot see processes of another host
  return !processAlive(lock.pid);
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid === 0) return false; // negative: a process group
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
