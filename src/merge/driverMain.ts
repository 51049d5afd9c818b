import { runMergeDriver } from './driver.js';
import { EXIT } from '../errors.js';

/**
 * Process entry of the merge driver. bin/wxo-policy.js comes here directly for `merge-driver`:
 * git runs the driver once per conflicting file, so it skips the CLI's command table and help.
 * Any failure exits 1 — a conflict, %A untouched — never a crash git would misread.
 */
runMergeDriver(process.argv.slice(3), { cwd: process.cwd(), env: process.env, log: (line) => process.stderr.write(`${line}\n`) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`wxo-policy merge-driver: ${(e as Error).message}; leaving the file conflicted\n`);
    process.exitCode = EXIT.findings;
  },
);
