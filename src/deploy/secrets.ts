import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, EnvError } from '../errors.js';
import { messages } from '../messages.js';
import type { Policy } from '../policy/model.js';
import { OWN_YAML_OPTIONS, readYaml } from '../yaml/readYaml.js';
import { maskedSecret } from './plan.js';

/**
 * Secret providers: where `${NAME}` placeholders get their values at deploy time. Git stays
 * secret-free; the values exist only in this process, in argv handed to orchestrate, and in the
 * private render directory. Every text this toolkit prints passes through a Masker first.
 */
export interface Resolution {
  values: Map<string, string>;
  missing: { name: string; reason?: string }[];
}

export interface SecretProvider {
  /** For messages: "environment variables", "file /run/secrets.json", "command vault …". */
  describe: string;
  resolve(names: readonly string[]): Resolution;
}

/**
 * Every secret of `names` from the policy's provider, all of them before any call: the values
 * found go to the masker, and missing ones are one ConfigError that names them all (exit 2).
 */
export function resolveSecrets(
  policy: Policy,
  root: string,
  env: NodeJS.ProcessEnv,
  names: readonly string[],
  masker: Masker,
): ReadonlyMap<string, string> {
  const provider = secretProvider(policy, root, env);
  const { values, missing } = provider.resolve(names);
  masker.addAll(values);
  if (missing.length)
    throw new ConfigError(
      messages.deploy.secretsMissing(missing, provider.describe),
      messages.deploy.secretsMissingHint(policy.deploy.secrets.provider),
    );
  return values;
}

export function secretProvider(policy: Policy, root: string, env: NodeJS.ProcessEnv): SecretProvider {
  const settings = policy.deploy.secrets;
  switch (settings.provider) {
    case 'file':
      return fileProvider(expandVars(settings.file ?? '', env), root);
    case 'command':
      return commandProvider(settings.command ?? [], env, root);
    default:
      return envProvider(env);
  }
}

function envProvider(env: NodeJS.ProcessEnv): SecretProvider {
  return {
    describe: 'environment variables',
    resolve(names) {
      const values = new Map<string, string>();
      const missing: Resolution['missing'] = [];
      for (const name of names) {
        const v = env[name];
        if (v === undefined || v === '') missing.push({ name });
        else values.set(name, v);
      }
      return { values, missing };
    },
  };
}

/** `${VAR}` / `$VAR` in the file path: Jenkins `withCredentials([file(… variable: 'SECRETS')])`. */
function expandVars(path: string, env: NodeJS.ProcessEnv): string {
  return path.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '',
  );
}

function fileProvider(path: string, root: string): SecretProvider {
  const abs = isAbsolute(path) ? path : resolve(root, path);
  let table: Map<string, string> | undefined;
  const load = (): Map<string, string> => {
    if (table) return table;
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new EnvError(
        messages.deploy.secretFileUnreadable(abs, (e as NodeJS.ErrnoException).code ?? (e as Error).message),
        messages.deploy.secretFileHint,
      );
    }
    table = parseSecretFile(abs, text);
    return table;
  };
  return {
    describe: `file ${abs}`,
    resolve(names) {
      const t = load();
      const values = new Map<string, string>();
      const missing: Resolution['missing'] = [];
      for (const name of names) {
        const v = t.get(name);
        if (v === undefined || v === '') missing.push({ name });
        else values.set(name, v);
      }
      return { values, missing };
    },
  };
}

/** JSON or YAML mapping of NAME: value, or a dotenv file (KEY=VALUE, `export`, quotes, comments). */
export function parseSecretFile(path: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  const fromObject = (value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new EnvError(messages.deploy.secretFileInvalid(path, 'the top level must be a mapping of NAME: value'));
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'object') throw new EnvError(messages.deploy.secretFileInvalid(path, `the value of ${k} is not a string`));
      out.set(k, String(v));
    }
  };
  if (/\.json$/i.test(path)) {
    try {
      fromObject(JSON.parse(text));
    } catch (e) {
      if (e instanceof EnvError) throw e;
      // The parser's message may quote the file's content: say only that it is invalid.
      throw new EnvError(messages.deploy.secretFileInvalid(path, 'not valid JSON'));
    }
    return out;
  }
  if (/\.ya?ml$/i.test(path)) {
    const parsed = readYaml(text, OWN_YAML_OPTIONS);
    if (parsed.errors.length)
      throw new EnvError(messages.deploy.secretFileInvalid(path, `not valid YAML (line ${parsed.errors[0]!.line})`));
    fromObject(parsed.value);
    return out;
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvError(messages.deploy.secretFileInvalid(path, `line ${i + 1} is not KEY=VALUE`));
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '').trim();
    out.set(m[1]!, value);
  });
  return out;
}

function commandProvider(argv: readonly string[], env: NodeJS.ProcessEnv, root: string): SecretProvider {
  const cache = new Map<string, { value?: string; reason?: string }>();
  const fetch = (name: string) => {
    if (cache.has(name)) return cache.get(name)!;
    const args = argv.map((a) => a.replaceAll('{name}', name));
    // No shell: the name is one argv element, whatever it contains.
    const r = spawnSync(args[0]!, args.slice(1), {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    let entry: { value?: string; reason?: string };
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new EnvError(messages.deploy.secretCommandMissing(args[0]!), messages.deploy.secretCommandHint);
      entry = { reason: code === 'ETIMEDOUT' ? 'timed out after 60 s' : (r.error.message ?? 'failed') };
    } else if (r.status !== 0) {
      // stderr is left out: a secrets CLI may echo what it was given, or parts of other secrets.
      entry = { reason: `exit ${r.status ?? r.signal}` };
    } else {
      const value = (r.stdout ?? '').trim();
      entry = value ? { value } : { reason: 'empty output' };
    }
    cache.set(name, entry);
    return entry;
  };
  return {
    describe: `command ${argv.join(' ')}`,
    resolve(names) {
      const values = new Map<string, string>();
      const missing: Resolution['missing'] = [];
      for (const name of names) {
        const e = fetch(name);
        if (e.value !== undefined) values.set(name, e.value);
        else missing.push(e.reason ? { name, reason: e.reason } : { name });
      }
      return { values, missing };
    },
  };
}

/**
 * Replaces every known secret value in a text with `<secret:NAME>` — including the JSON-escaped
 * and URL-encoded spellings a CLI might echo. Longest values first, so a secret that contains
 * another is masked whole.
 */
export class Masker {
  private entries: { needle: string; name: string }[] = [];

  /**
   * Every form the CLI may echo a value in: as is (any letter case), JSON / Python escaped, shell
   * single-quoted, URL-encoded, and inside base64 (a Basic auth header carries user:password) — at
   * each of the three byte alignments, the characters that only the value determines. A short
   * value (under 8 characters) takes the whole word around it with it: `<secret:PIN>5` would
   * tell that the PIN is the start of 12345.
   */
  add(name: string, value: string): void {
    if (!value) return;
    const variants = new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      value.replace(/\\/g, '\\\\'),
      value.replace(/'/g, `'\\''`),
      encodeURIComponent(value),
    ]);
    for (const core of base64Cores(value)) variants.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    for (const needle of variants) {
      if (!needle) continue;
      this.entries.push({ needle, name });
    }
    this.entries.sort((a, b) => b.needle.length - a.needle.length);
  }

  addAll(values: ReadonlyMap<string, string>): void {
    for (const [name, value] of values) this.add(name, value);
  }

  mask(text: string): string {
    let out = text;
    for (const { needle, name } of this.entries) out = maskAll(out, needle, maskedSecret(name));
    return out;
  }
}

const WORD_BREAK = /[\s"'=:,;]/;

/** Every occurrence of `needle` in any letter case; a short needle takes its whole word. Linear. */
function maskAll(text: string, needle: string, replacement: string): string {
  const lowerText = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  // toLowerCase keeps offsets for all but a few characters (İ …): then exact spelling only.
  const haystack = lowerText.length === text.length && lowerNeedle.length === needle.length ? lowerText : text;
  const wanted = haystack === lowerText ? lowerNeedle : needle;
  let at = haystack.indexOf(wanted);
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    let start = at;
    let end = at + wanted.length;
    if (needle.length < 8) {
      while (start > copied && !WORD_BREAK.test(text[start - 1]!)) start--;
      while (end < text.length && !WORD_BREAK.test(text[end]!)) end++;
    }
    out += text.slice(copied, start) + replacement;
    copied = end;
    at = haystack.indexOf(wanted, end);
  }
  return out + text.slice(copied);
}

/** The base64 characters that depend on the value alone, at byte offsets 0, 1 and 2 (6+ characters). */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value);
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= 6) cores.push(core);
  }
  return cores;
}
