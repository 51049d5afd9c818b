import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_VERSION } from '../version.js';
import type { FileFacts } from './types.js';

/**
 * Facts (what a file defines and refers to) by blob id and path, kept in the git dir. Repository-
 * wide rules need the facts of every resource file; a pre-commit that stages ten files must not
 * re-parse ten thousand to get them. Blob ids make entries exact: same blob, same facts. The cache
 * is dropped when the tool version or the policy changes (the policy decides file kinds).
 */
const MAX_ENTRIES = 100_000;

interface CacheFile {
  tool: string;
  policy: string;
  entries: Record<string, FileFacts>;
}

export class FactsCache {
  private dirty = false;

  private constructor(
    private readonly path: string,
    private readonly data: CacheFile,
  ) {}

  static load(dir: string, policyHash: string): FactsCache {
    const path = join(dir, 'wxo-policy', 'facts-v1.json');
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      if (data.tool === TOOL_VERSION && data.policy === policyHash && data.entries) return new FactsCache(path, data);
    } catch {
      // missing or unreadable: start empty
    }
    return new FactsCache(path, { tool: TOOL_VERSION, policy: policyHash, entries: {} });
  }

  get(oid: string, path: string): FileFacts | undefined {
    return this.data.entries[`${oid}:${path}`];
  }

  set(oid: string, path: string, facts: FileFacts): void {
    const key = `${oid}:${path}`;
    if (this.data.entries[key]) return;
    this.data.entries[key] = facts;
    this.dirty = true;
  }

  /** Written atomically; a failure to write only costs speed next time. */
  save(): void {
    if (!this.dirty) return;
    const keys = Object.keys(this.data.entries);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete this.data.entries[key];
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data));
      renameSync(tmp, this.path);
      this.dirty = false;
    } catch {
      // read-only git dir (e.g. a CI cache mount): run without a cache
    }
  }
}
