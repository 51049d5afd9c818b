import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { EnvError } from '../errors.js';
import { safeWriteFile } from '../fs/safeWrite.js';
import { messages } from '../messages.js';

/**
 * Writes a report (drift, metrics, the status board) or a state file with the safe-write helper:
 * inside `within` (the repository, the git dir) no symlink is followed and the file is replaced
 * whole; a path outside it (an operator's `--output /srv/reports/x`) is written in its own,
 * trusted directory.
 */
export function writeReportFile(within: string, path: string, content: string): void {
  try {
    const rel = relative(within, path);
    const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    if (!inside) mkdirSync(dirname(path), { recursive: true });
    safeWriteFile(inside ? within : dirname(path), path, content);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EnvError(messages.live.cannotWrite(path, err.code === 'EUNSAFEPATH' ? err.message : (err.code ?? err.message)));
  }
}
