import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeWriteFile } from '../fs/safeWrite.js';
import { secretsRendered, withoutCredentials, type ResourceSet, type Unit } from './resources.js';
import { substituteSecrets } from '../resources/values.js';
import type { Stage } from '../policy/model.js';

/**
 * The files an orchestrate call reads, as that call must see them: `${values.x}` substituted,
 * connection credentials removed, `${NAME}` secrets filled where the CLI itself cannot (voice
 * configs, channels …). They are written to a private directory outside the work tree (0700,
 * files 0600), with the repository's relative paths kept — KB documents and requirements.txt
 * stay where the imported file expects them — and the directory is removed afterwards.
 */

/**
 * Pure: path → bytes to write, for the given units of a resource set (whose files are rendered
 * with their values already: `set.rendered`).
 */
export function renderUnitFiles(
  set: Pick<ResourceSet, 'rendered'>,
  units: readonly Unit[],
  secrets: ReadonlyMap<string, string>,
  stage?: Stage,
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const unit of units) {
    for (const path of unit.files) {
      const b = set.rendered.get(path);
      if (!b) continue;
      if (path !== unit.path) {
        if (!out.has(path)) out.set(path, b);
        continue;
      }
      let text = b.toString('utf8');
      // a connection is imported with its stage's environment block only: draft stays draft
      if (unit.kind === 'connection') text = withoutCredentials(path, text, stage);
      if (secretsRendered(unit.kind) && /\.(ya?ml|json)$/i.test(path)) text = substituteSecrets(text, path, secrets);
      out.set(path, Buffer.from(text));
    }
  }
  return out;
}

export interface Workspace {
  dir: string;
  /** Writes rendered files (repository-relative paths) into the workspace. */
  write(rendered: ReadonlyMap<string, Buffer>): void;
  /** Removes every file written so far, keeping the (empty) directory. */
  clear(): void;
  remove(): void;
}

const WORKSPACE_PREFIX = 'wxo-deploy-';

/**
 * A fresh private directory (0700) under the system temp dir, named after this process: a deploy
 * killed with SIGKILL cannot remove its rendered files, the next deploy does (removeDeadWorkspaces).
 * Files are written just before the call that reads them and cleared right after it, so that
 * rendered secrets live on disk no longer than that call.
 */
export function createWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `${WORKSPACE_PREFIX}${process.pid}-`));
  chmodSync(dir, 0o700);
  const clear = () => {
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  };
  return {
    dir,
    // never outside the directory nor through a link, whatever the path says
    write: (rendered) => {
      for (const [path, content] of rendered) safeWriteFile(dir, path, content, { mode: 0o600, dirMode: 0o700 });
    },
    clear,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Workspaces of deploys whose process is gone (this user's, on this host): removed, with the
 * clear-text secrets they may hold. Returns how many.
 */
export function removeDeadWorkspaces(alive: (pid: number) => boolean): number {
  let removed = 0;
  const uid = process.getuid?.();
  for (const name of readdirSync(tmpdir())) {
    const m = /^wxo-deploy-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const path = join(tmpdir(), name);
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      /* removed meanwhile */
    }
  }
  return removed;
}
