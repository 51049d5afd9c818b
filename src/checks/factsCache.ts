import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeAppendFile, safeWriteFile } from '../fs/safeWrite.js';
import { TOOL_VERSION } from '../version.js';
import { referenceHashes } from './rules/references.js';
import type { FileFacts } from './types.js';

/** The cache's file names (the format changes with them). */
const VERSION = 'facts-v5'; // v5: connection declarations carry their stages

/** Journal lines before the cache file is rewritten with them. */
const JOURNAL_LIMIT = 2000;

interface CacheFile {
  tool: string;
  policy: string;
  entries: Record<string, FileFacts>;
}

/** The part of a file's facts that the cache keeps (see FactsCache). */
export function contextFacts(path: string, facts: FileFacts): FileFacts {
  const isEdge = (r: FileFacts['refs'][number]) => r.kind === 'agent' && r.from.kind === 'agent';
  const out: FileFacts = { resources: facts.resources, refs: facts.refs.filter(isEdge) };
  const hashes =
    facts.refHashes ??
    referenceHashes(
      path,
      facts.refs.filter((r) => !isEdge(r)),
      facts.valueRefs,
    );
  if (hashes) out.refHashes = hashes;
  if (facts.kind) out.kind = facts.kind;
  if (facts.tenant) out.tenant = facts.tenant;
  if (facts.valueKeys) out.valueKeys = facts.valueKeys;
  return out;
}

/**
 * What repository-wide rules need to know about the files a check does not judge, by blob id and
 * path, kept in the git dir: a pre-commit that stages ten files must not re-parse ten thousand.
 * Blob ids make entries exact (same blob, same facts). The cache is dropped when the tool version
 * or the policy changes (the policy decides file kinds).
 *
 * Only the context part of the facts is kept: what a file declares, its agent → collaborator edges
 * (cycles), values keys and tenant, and hashes of what its other references point at (refHashes) —
 * a file that refers to something a change removed is read again. New entries are appended to a
 * journal; the file is rewritten now and then, with only the entries of the snapshot the check
 * listed (and those it added): the blobs of past commits do not pile up in what every hook parses.
 */
export class FactsCache {
  private readonly added: [string, FileFacts][] = [];

  private constructor(
    private readonly dir: string,
    private readonly data: CacheFile,
    /** Lines in the journal; -1 when there is no valid base file yet. */
    private journalLines: number,
  ) {}

  static load(gitDir: string, policyHash: string): FactsCache {
    const dir = join(gitDir, 'wxo-policy');
    const empty = () => new FactsCache(dir, { tool: TOOL_VERSION, policy: policyHash, entries: {} }, -1);
    let data: CacheFile;
    try {
      data = JSON.parse(readFileSync(join(dir, `${VERSION}.json`), 'utf8')) as CacheFile;
    } catch {
      return empty();
    }
    if (data.tool !== TOOL_VERSION || data.policy !== policyHash || !data.entries) return empty();
    let lines = 0;
    try {
      for (const line of readFileSync(join(dir, `${VERSION}.${policyHash.slice(0, 16)}.journal`), 'utf8').split('\n')) {
        const tab = line.indexOf('\t');
        if (tab < 0) continue;
        try {
          data.entries[line.slice(0, tab)] = JSON.parse(line.slice(tab + 1)) as FileFacts;
          lines++;
        } catch {
          // a torn last line: the entry is computed again
        }
      }
    } catch {
      // no journal yet
    }
    return new FactsCache(dir, data, lines);
  }

  get(oid: string, path: string): FileFacts | undefined {
    return this.data.entries[`${oid}:${path}`];
  }

  /** Callers store resource files only (what a later check asks for), empty facts included. */
  set(oid: string, path: string, facts: FileFacts): void {
    const key = `${oid}:${path}`;
    if (this.data.entries[key]) return;
    const kept = contextFacts(path, facts);
    this.data.entries[key] = kept;
    this.added.push([key, kept]);
  }

  /**
   * A failure to write only costs speed next time (e.g. a read-only CI cache mount). `listed`: the
   * `oid:path` keys of the snapshot the caller listed, asked for only when the file is rewritten;
   * other entries are dropped then (a file of another branch is computed again when needed).
   */
  save(listed?: () => ReadonlySet<string>): void {
    if (this.added.length === 0) return;
    try {
      const gitDir = dirname(this.dir);
      if (this.journalLines < 0 || this.journalLines + this.added.length > JOURNAL_LIMIT) {
        if (listed) {
          const keep = listed();
          const entries: Record<string, FileFacts> = {};
          for (const key of Object.keys(this.data.entries)) if (keep.has(key)) entries[key] = this.data.entries[key]!;
          for (const [key, facts] of this.added) entries[key] = facts;
          this.data.entries = entries;
        }
        safeWriteFile(gitDir, join(this.dir, `${VERSION}.json`), JSON.stringify(this.data));
        safeWriteFile(gitDir, this.journal(), '');
        if (this.journalLines < 0) this.removeOtherVersions();
        this.journalLines = 0;
      } else {
        safeAppendFile(gitDir, this.journal(), this.added.map(([k, f]) => `${k}\t${JSON.stringify(f)}\n`).join(''));
        this.journalLines += this.added.length;
      }
      this.added.length = 0;
    } catch {
      // best effort
    }
  }

  /** Cache files of earlier formats are dead weight in the git dir. */
  private removeOtherVersions(): void {
    for (const name of readdirSync(this.dir)) {
      if (/^facts-v\d+[.]/.test(name) && !name.startsWith(`${VERSION}.`)) rmSync(join(this.dir, name), { force: true });
    }
  }

  private journal(): string {
    return join(this.dir, `${VERSION}.${this.data.policy.slice(0, 16)}.journal`);
  }
}
