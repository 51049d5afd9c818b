import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const CLI = join(PROJECT_ROOT, 'bin', 'wxo-policy.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions that only care that something was said. */
  output: string;
}

/** Runs the built CLI as a real child process (`npm test` builds dist/ first). */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: options.env,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { status: result.status ?? -1, stdout, stderr, output: stdout + stderr };
}
