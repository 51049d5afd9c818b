import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { EnvError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * The one way this toolkit runs git: synchronously, with an argv array (never a shell), output
 * captured. Hooks run a handful of short git commands, where spawnSync is the cheapest option.
 * (gitInBackground: the same, for a command that can run while this thread works.)
 */
export class GitError extends EnvError {
  override name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(messages.gitFailed(args.join(' '), stderr.trim().split('\n').slice(-3).join(' ') || `exit ${status}`));
  }
}

export interface GitOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Return the result instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  status: number;
}

export function git(cwd: string, args: readonly string[], options: GitOptions = {}): GitResult {
  const raw = gitRaw(cwd, args, options);
  return { stdout: raw.stdout.toString('utf8'), stderr: raw.stderr, status: raw.status };
}

/** Like git(), with stdout as bytes (blob contents, -z output with arbitrary file names). */
export function gitRaw(cwd: string, args: readonly string[], options: GitOptions = {}): { stdout: Buffer; stderr: string; status: number } {
  const spawnOptions: SpawnSyncOptions = {
    cwd,
    maxBuffer: 1024 * 1024 * 1024,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  };
  if (options.input !== undefined) spawnOptions.input = options.input;
  const result = spawnSync('git', args as string[], spawnOptions);
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvError(messages.gitMissing);
    throw new EnvError(messages.gitFailed(args.join(' '), result.error.message));
  }
  const stderr = result.stderr?.toString('utf8') ?? '';
  const status = result.status ?? 128;
  if (status !== 0 && !options.allowFailure) throw new GitError(args, result.status, stderr);
  return { stdout: result.stdout as Buffer, stderr, status };
}

/**
 * git in the background, while this thread goes on: for a command whose answer is needed only
 * later. Never rejects: a git that cannot start gives status 128 and no output.
 */
export function gitInBackground(cwd: string, args: readonly string[]): Promise<{ stdout: Buffer; status: number }> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    const child = spawn('git', args as string[], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => done({ stdout: Buffer.alloc(0), status: 128 }));
    child.on('close', (code) => done({ stdout: Buffer.concat(chunks), status: code ?? 128 }));
  });
}

/** Splits NUL-terminated output (`-z`) into records. */
export function splitZ(output: string): string[] {
  const parts = output.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export const ZERO_OID = /^0+$/;
