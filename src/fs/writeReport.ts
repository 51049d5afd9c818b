import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { EnvError } from '../errors.js';
import { safeWriteFile } from './safeWrite.js';

/**
 * Writes a report (`check --output`, drift, metrics, the status board) or a state file with the
 * safe-write helper. Inside `within` (the repository, the git dir) no symlink of the tree is
 * followed — a pull request may commit `reports/wxo-policy.xml` as a link to a file of the CI user
 * — and the file is replaced whole; a path outside it (an operator's `--output /srv/reports/x`)
 * goes where the operator said, in its own, trusted directory, still through a temporary file
 * renamed over the target. A failure is an EnvError (exit 2) in the caller's words: `cannotWrite`
 * gets the path and the reason (why the path is unsafe, else the error code).
 */
export function writeReportFile(
  within: string,
  path: string,
  content: string,
  cannotWrite: (path: string, reason: string) => string,
): void {
  try {
    const rel = relative(within, path);
    const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    if (!inside) mkdirSync(dirname(path), { recursive: true });
    safeWriteFile(inside ? within : dirname(path), path, content);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EnvError(cannotWrite(path, err.code === 'EUNSAFEPATH' ? err.message : (err.code ?? err.message)));
  }
}
