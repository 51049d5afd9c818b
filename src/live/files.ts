import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * Writes a report (drift, metrics, the status board) or a state file: the whole file or nothing
 * (a temporary file beside it, renamed over), so a reader never sees half a page.
 */
export function writePrivateFile(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, content, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new EnvError(messages.live.cannotWrite(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}
