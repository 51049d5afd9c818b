import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { safeAppendFile, safeWriteFile } from '../fs/safeWrite.js';
import { messages } from '../messages.js';
import { UsageError } from '../errors.js';
import type { FileResult } from './types.js';

/**
 * The incremental CI result cache (`check --cache-dir DIR`): what one file's analysis found
 * (findings and facts), keyed by what decides it — the blob id, the path (the policy classifies by
 * path), and a namespace made of the build of wxo-policy (every compiled source, schema and the
 * secretlint rules it runs), the policy in force and the `values:` files are validated with. Any
 * change of any of these is a different key: a cached result can only be the result the same
 * analysis would produce now. Repository-wide rules (references, tenant binding, forbidden
 * files, the allowlist) are never cached; they run on every check over the cached facts.
 *
 * Files: `results-<namespace>.json` (the base) and `results-<namespace>.journal` (entries added
 * since, one `key TAB json` a line), like the facts cache. A file that does not parse, or an entry
 * that does not, is ignored: the analysis runs again.
 */
const FORMAT = 'results-v1';
const JOURNAL_LIMIT = 2000;
/** Namespaces (policy, values or tool builds) not used for this long are removed. */
const STALE_MS = 14 * 24 * 3600 * 1000;

interface CacheFile {
  namespace: string;
  entries: Record<string, Omit<FileResult, 'path' | 'oid'>>;
}

let buildId: string | null | undefined;
/** Written by scripts/build.mjs; without it (a build from before, a damaged install) nothing is cached. */
export function currentBuildId(): string | undefined {
  if (buildId === undefined) {
    try {
      buildId = readFileSync(new URL('../build-id.txt', import.meta.url), 'utf8').trim() || null;
    } catch {
      buildId = null;
    }
  }
  return buildId ?? undefined;
}

export function resultNamespace(build: string, policyHash: string, values: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, build, policyHash, values ?? null]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The directory an operator gave, refused inside the repository's work tree: a pull request could
 * commit a cache file there that claims its files are clean.
 */
export function resolveCacheDir(dir: string, cwd: string, repoRoot: string | undefined): string {
  const abs = resolve(cwd, dir);
  if (repoRoot) {
    const rel = relative(resolve(repoRoot), abs);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)))
      throw new UsageError(messages.cacheDirInRepo(dir), messages.cacheDirInRepoHint);
  }
  return abs;
}

/**
 * `key TAB json TAB checksum`: two builds of a job may append at once, and a line made of pieces
 * of two must not pass for a result.
 */
function journalLine(key: string, entry: unknown): string {
  const body = `${key}\t${JSON.stringify(entry)}`;
  return `${body}\t${lineChecksum(body)}\n`;
}

function parseJournalLine(line: string): [string, CacheFile['entries'][string]] | undefined {
  const last = line.lastIndexOf('\t');
  const tab = line.indexOf('\t');
  if (tab < 0 || last === tab || lineChecksum(line.slice(0, last)) !== line.slice(last + 1)) return undefined;
  try {
    return [line.slice(0, tab), JSON.parse(line.slice(tab + 1, last))];
  } catch {
    return undefined;
  }
}

const lineChecksum = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 16);

export class ResultCache {
  private readonly added: [string, CacheFile['entries'][string]][] = [];
  private hits = 0;

  private constructor(
    private readonly dir: string,
    private readonly data: CacheFile,
    private journalLines: number,
  ) {}

  /** Undefined when this build cannot key results (no build id): the check then analyses everything. */
  static load(dir: string, policyHash: string, values: unknown): ResultCache | undefined {
    const build = currentBuildId();
    if (!build) return undefined;
    const namespace = resultNamespace(build, policyHash, values);
    const empty = () => new ResultCache(dir, { namespace, entries: {} }, -1);
    let data: CacheFile;
    try {
      data = JSON.parse(readFileSync(join(dir, `${FORMAT}.${namespace}.json`), 'utf8')) as CacheFile;
    } catch {
      return empty();
    }
    if (!data || data.namespace !== namespace || typeof data.entries !== 'object' || data.entries === null) return empty();
    let lines = 0;
    try {
      for (const line of readFileSync(join(dir, `${FORMAT}.${namespace}.journal`), 'utf8').split('\n')) {
        const entry = parseJournalLine(line);
        if (!entry) continue; // torn, or mixed with another build's append: that file is analysed again
        data.entries[entry[0]] = entry[1];
        lines++;
      }
    } catch {
      // no journal yet
    }
    return new ResultCache(dir, data, lines);
  }

  get(oid: string, path: string): FileResult | undefined {
    const hit = this.data.entries[`${oid}:${path}`];
    if (!hit || !Array.isArray(hit.findings) || !hit.facts || !Array.isArray(hit.facts.resources) || !Array.isArray(hit.facts.refs))
      return undefined;
    this.hits++;
    return { path, oid, findings: hit.findings, facts: hit.facts };
  }

  /** The facts of a file it knows, for the context of a partial check (not counted as a hit). */
  factsOf(oid: string, path: string): FileResult['facts'] | undefined {
    const hit = this.data.entries[`${oid}:${path}`];
    return hit?.facts && Array.isArray(hit.facts.resources) && Array.isArray(hit.facts.refs) ? hit.facts : undefined;
  }

  set(result: FileResult): void {
    if (!result.oid) return;
    const key = `${result.oid}:${result.path}`;
    if (this.data.entries[key]) return;
    const entry = { findings: result.findings, facts: result.facts };
    this.data.entries[key] = entry;
    this.added.push([key, entry]);
  }

  get stats(): { hits: number; added: number } {
    return { hits: this.hits, added: this.added.length };
  }

  /** A cache that cannot be written costs speed next time, never the check. */
  save(): void {
    if (this.added.length === 0) return;
    const base = `${FORMAT}.${this.data.namespace}.json`;
    const journal = `${FORMAT}.${this.data.namespace}.journal`;
    try {
      mkdirSync(this.dir, { recursive: true });
      if (this.journalLines < 0 || this.journalLines + this.added.length > JOURNAL_LIMIT) {
        safeWriteFile(this.dir, join(this.dir, base), JSON.stringify(this.data));
        safeWriteFile(this.dir, join(this.dir, journal), '');
        this.journalLines = 0;
        this.removeStale();
      } else {
        safeAppendFile(this.dir, join(this.dir, journal), this.added.map(([k, e]) => journalLine(k, e)).join(''));
        this.journalLines += this.added.length;
      }
      this.added.length = 0;
    } catch {
      // best effort
    }
  }

  private removeStale(): void {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith('results-') || name.includes(this.data.namespace)) continue;
      try {
        if (now - statSync(join(this.dir, name)).mtimeMs > STALE_MS) rmSync(join(this.dir, name), { force: true });
      } catch {
        // gone already
      }
    }
  }
}
