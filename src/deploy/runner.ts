import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, EnvError } from '../errors.js';
import { messages } from '../messages.js';
import type { Masker } from './secrets.js';
import { readYaml } from '../yaml/readYaml.js';

/**
 * Runs the orchestrate CLI: an argv array (never a shell), stdin closed (a prompt becomes a quick
 * failure instead of a hang), a timeout that kills the whole process group, ANSI colours
 * stripped, and the output judged by what it says as well as by the exit code — ADK 2.9 reports
 * several failures with exit 0 (`[ERROR] - Error deploying agent …` of `agents deploy`, a knowledge
 * base whose indexing `import failed`, `tools import` that found no tools).
 */
export interface CallOptions {
  /** The answer to a prompt the call is known to ask (a line on stdin); else stdin is closed. */
  input?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  masker: Masker;
  /** Told the pid of the call (the leader of its own process group) when it starts and ends. */
  onSpawn?: (pid: number) => void;
  onExit?: (pid: number) => void;
}

export interface CallResult {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  /** ANSI-free, secrets masked: safe to print. */
  output: string;
  /** Why the call counts as failed. */
  failure?: string;
  /** A success worth saying: a removal of something already gone. */
  note?: string;
  ms: number;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
export const stripAnsi = (text: string) => text.replace(ANSI, '');

/** Set to 1 by an operator who wants `deploy.orchestrate` to name a program inside the repository. */
const ALLOW_REPO_BINARY_VARIABLE = 'WXO_POLICY_ALLOW_REPO_ORCHESTRATE';

/**
 * Where the binary is. `deploy.orchestrate` comes from the deployed commit and receives every
 * secret of the deploy, so it may only be a bare command name (looked up on PATH) or an absolute
 * path outside the repository — a program committed in the repository is refused unless the
 * operator opts in with WXO_POLICY_ALLOW_REPO_ORCHESTRATE=1 (then a relative path is the
 * repository's).
 */
export function resolveBinary(binary: string, root: string, env: NodeJS.ProcessEnv = {}): string {
  const optedIn = env[ALLOW_REPO_BINARY_VARIABLE] === '1';
  if (!binary.includes('/')) {
    if (/^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(binary)) return binary;
    throw new ConfigError(messages.deploy.orchestrateRefused(binary), messages.deploy.orchestrateRefusedHint(ALLOW_REPO_BINARY_VARIABLE));
  }
  const path = isAbsolute(binary) ? resolve(binary) : resolve(root, binary);
  const rel = relative(root, path);
  const inRepo = !isAbsolute(binary) || (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) || rel === '';
  if (inRepo && !optedIn)
    throw new ConfigError(messages.deploy.orchestrateRefused(binary), messages.deploy.orchestrateRefusedHint(ALLOW_REPO_BINARY_VARIABLE));
  return path;
}

/**
 * Judges a finished call by exit code and output. Pure. `argv` is the masked argv (the command
 * words, and the name a removal is about).
 */
export function judgeOutput(
  argv: readonly string[],
  code: number | null,
  output: string,
): { ok: boolean; failure?: string; note?: string } {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const [group, action] = argv;
  const isList = action === 'list';
  const errorLine = lines.find((l) => /^\[ERROR\]/.test(l));
  // A removal of something already gone is done: a failed deploy that removed part of what it
  // should is run again from the same base, and must get past what it removed the first time.
  if (isRemoval(argv) && (code === 1 || (code === 0 && errorLine))) {
    const gone = goneLine(lines, removedName(argv));
    if (gone) return { ok: true, note: messages.deploy.alreadyRemoved(gone) };
  }
  // phone_controller.py:755-765 / :828-832: attach and detach are not upserts; a tenant that already
  // holds the attachment (or never had it) is where the call wanted it
  if (group === 'phone' && (action === 'attach' || action === 'detach') && code === 1) {
    const already = lines.find((l) =>
      (action === 'attach' ? /\bis already attached to phone config\b/ : /\bis not attached to phone config\b/).test(l),
    );
    if (already) return { ok: true, note: messages.deploy.attachmentAlreadyThere(already.replace(/^\[ERROR\]\s*-\s*/, '')) };
  }
  if (code !== 0)
    return {
      ok: false,
      failure: `exit ${code ?? 'signal'}${errorLine ? `: ${errorLine}` : lines.length ? `: ${lines[lines.length - 1]}` : ''}`,
    };
  // List commands may print non-fatal [ERROR] lines for records they cannot parse.
  if (errorLine && !isList) return { ok: false, failure: `exit 0 but the output reports an error: ${errorLine}` };
  if (group === 'knowledge-bases' && action === 'import') {
    const bad = lines.find(
      (l) =>
        /\b(import|update) failed\b/i.test(l) ||
        /Failed to create knowledge base/i.test(l) ||
        (/^\[WARNING\]/.test(l) && /(polling|timed out)/i.test(l)),
    );
    if (bad) return { ok: false, failure: `exit 0 but the knowledge base import did not finish: ${bad}` };
  }
  if (group === 'tools' && action === 'import') {
    const none = lines.find((l) => /No valid .*tools? found/i.test(l));
    if (none) return { ok: false, failure: `exit 0 but nothing was imported: ${none}` };
  }
  return { ok: true };
}

/** `… remove …` (agents, tools, toolkits, KBs, connections, models policy …) and `channels delete`. */
const isRemoval = (argv: readonly string[]) => argv.slice(1, 3).some((w) => w === 'remove' || w === 'delete');

/** The name a removal is about: the value of -n / --name / -a / --app-id. */
function removedName(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '-n' || a === '--name' || a === '-a' || a === '--app-id');
  if (i >= 0) return argv[i + 1];
  const attached = argv.find((a) => a.startsWith('--name=') || a.startsWith('--app-id='));
  return attached?.slice(attached.indexOf('=') + 1);
}

const NOT_FOUND = /\bnot found\b|\bdoes(?: not|n't) exist\b|^no\b.*\bfound\b/i;
/** A bare 404 body as the CLI prints it for connections (`{"detail":"Not Found"}`). */
const BARE_NOT_FOUND = /^\W*(?:detail\W*)?not found\W*$/i;

/**
 * The line saying the object of a removal does not exist. The exit code does not tell it apart
 * (knowledge-bases remove of an unknown name exits 1, as other failures do); the ADK says
 * `No knowledge base 'X' found`, and for connections prints the server's answer. So: not-found wording (not found, does not exist,
 * no … found), case-insensitive, in a line that names the object — or is nothing but a 404's
 * "Not Found" — so that another failure that happens to say "not found" (no active environment …)
 * is still one.
 */
function goneLine(lines: readonly string[], name: string | undefined): string | undefined {
  if (!name) return undefined;
  return lines.find((line) => {
    const text = line.replace(/^\[(?:ERROR|WARNING|INFO)\]\s*-\s*/, '');
    return NOT_FOUND.test(text) && (text.includes(name) || BARE_NOT_FOUND.test(text));
  });
}

export async function callOrchestrate(
  binary: string,
  argv: readonly string[],
  maskedArgv: readonly string[],
  options: CallOptions,
): Promise<CallResult> {
  const started = Date.now();
  return new Promise<CallResult>((resolvePromise, reject) => {
    let child;
    try {
      // detached: its own process group, so a timeout also ends whatever the CLI started.
      child = spawn(binary, argv as string[], {
        cwd: options.cwd,
        env: options.env,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        detached: true,
      });
      if (options.input !== undefined) {
        child.stdin!.on('error', () => {}); // the CLI may exit without reading it
        child.stdin!.end(options.input);
      }
    } catch (e) {
      reject(new EnvError(messages.deploy.orchestrateFailedToStart(binary, (e as Error).message), messages.deploy.orchestrateHint));
      return;
    }
    let buffer = '';
    let timedOut = false;
    const chunks = (d: Buffer) => {
      buffer += d.toString('utf8');
      if (buffer.length > 8 * 1024 * 1024) buffer = buffer.slice(-4 * 1024 * 1024); // keep the tail
    };
    child.stdout!.on('data', chunks);
    child.stderr!.on('data', chunks);
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        try {
          child.kill(signal);
        } catch {
          /* already gone */
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 5000).unref();
    }, options.timeoutMs);
    activeChildren.set(kill, new Promise<void>((done) => child.on('close', () => done())));
    const pid = child.pid;
    if (pid !== undefined) {
      options.onSpawn?.(pid);
      child.on('close', () => options.onExit?.(pid));
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      activeChildren.delete(kill);
      if (e.code === 'ENOENT' || e.code === 'EACCES')
        reject(new EnvError(messages.deploy.orchestrateMissing(binary), messages.deploy.orchestrateHint));
      else reject(new EnvError(messages.deploy.orchestrateFailedToStart(binary, e.message), messages.deploy.orchestrateHint));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      activeChildren.delete(kill);
      const output = options.masker.mask(stripAnsi(buffer)).replace(/\s+$/, '');
      const ms = Date.now() - started;
      if (timedOut) {
        resolvePromise({
          ok: false,
          code,
          timedOut,
          output,
          failure: `timed out after ${Math.round(options.timeoutMs / 1000)} s (killed)`,
          ms,
        });
        return;
      }
      const verdict = judgeOutput(maskedArgv, code, output);
      resolvePromise({
        ok: verdict.ok,
        code,
        timedOut,
        output,
        ...(verdict.failure ? { failure: verdict.failure } : {}),
        ...(verdict.note ? { note: verdict.note } : {}),
        ms,
      });
    });
  });
}

/** Children still running: killed (and waited for, briefly) when the deploy itself is interrupted. */
const activeChildren = new Map<(signal: NodeJS.Signals) => void, Promise<void>>();
export async function killActiveChildren(graceMs = 3000): Promise<void> {
  const waits = [...activeChildren].map(([kill, closed]) => {
    kill('SIGTERM');
    return closed;
  });
  await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, graceMs).unref())]);
  for (const kill of activeChildren.keys()) kill('SIGKILL');
}

/** The URL of `name`'s row of `orchestrate env list` (undefined: not listed). */
export function envListedUrl(output: string, name: string): string | undefined {
  for (const line of stripAnsi(output).split(/\r?\n/)) {
    const cells = line.trim().split(/[\s│|]+/);
    if (cells[0] === name) return cells[1];
  }
  return undefined;
}

/** Is `name` a row of `orchestrate env list` (rows: name, URL, "(active)")? */
export function envListed(output: string, name: string): boolean {
  return stripAnsi(output)
    .split(/\r?\n/)
    .some((line) => line.trim().split(/[\s│|]+/)[0] === name);
}

/**
 * The orchestrate CLI's own record of an environment (HOME/.config/orchestrate/config.yaml,
 * core/utils/config.py:14-48): its URL and auth type, or undefined when the file cannot be read.
 */
export function storedEnvironment(home: string | undefined, name: string): { url?: string; authType?: string } | undefined {
  if (!home) return undefined;
  let text: string;
  try {
    text = readFileSync(join(home, '.config', 'orchestrate', 'config.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = readYaml(text);
  if (parsed.errors.length) return undefined;
  const env = (parsed.value as { environments?: Record<string, { wxo_url?: unknown; auth_type?: unknown }> } | null)?.environments?.[name];
  if (!env) return undefined;
  return {
    ...(typeof env.wxo_url === 'string' ? { url: env.wxo_url } : {}),
    ...(typeof env.auth_type === 'string' ? { authType: env.auth_type } : {}),
  };
}
