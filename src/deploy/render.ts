import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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
export function renderUnitFiles(set: Pick<ResourceSet, 'rendered'>, units: readonly Unit[], secrets: ReadonlyMap<string, string>, stage?: Stage): Map<string, Buffer> {
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
  remove(): void;
}

/** Writes rendered files into a fresh private directory under the system temp dir. */
export function writeWorkspace(rendered: ReadonlyMap<string, Buffer>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'wxo-deploy-'));
  chmodSync(dir, 0o700);
  const workspace: Workspace = { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
  try {
    // never outside the directory nor through a link, whatever the path says
    for (const [path, content] of rendered) safeWriteFile(dir, path, content, { mode: 0o600, dirMode: 0o700 });
  } catch (e) {
    workspace.remove();
    throw e;
  }
  return workspace;
}
