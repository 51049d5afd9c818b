import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInThread } from '../src/checks/analyzeMany.js';
import { BatchQueue } from '../src/checks/workerPool.js';
import { resultCompactor } from '../src/checks/compact.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import type { SnapshotEntry } from '../src/snapshot/snapshot.js';
import type { FileResult } from '../src/checks/types.js';
import { PROJECT_ROOT } from './helpers/cli.js';

/*
 * How check --all spreads its files over threads (BatchQueue: guided batches that shrink as the
 * work runs out), what it keeps of each file (the compactor, in place for references and for
 * results parsed from a worker's JSON), and which files leave no result at all.
 */

const listing = (n: number, size?: (i: number) => number): SnapshotEntry[] =>
  Array.from({ length: n }, (_, i) => ({ path: `dir${i % 7}/f${i}.yaml`, oid: `${i}`, ...(size ? { size: size(i) } : {}) }));

function drain(queue: BatchQueue, limit?: (turn: number) => number | undefined): SnapshotEntry[][] {
  const batches: SnapshotEntry[][] = [];
  for (let batch = queue.take(limit?.(0)); batch; batch = queue.take(limit?.(batches.length))) batches.push(batch);
  return batches;
}

describe('BatchQueue', () => {
  it('hands out every file exactly once, in batches that shrink from a ceiling to a floor', () => {
    const entries = listing(10_000);
    const batches = drain(new BatchQueue(entries, 2));
    const handed = batches.flat();
    expect(handed).toHaveLength(entries.length);
    expect(new Set(handed.map((e) => e.path)).size).toBe(entries.length);
    const sizes = batches.map((b) => b.length);
    expect(sizes[0]).toBe(312); // a sixteenth of the work per thread at most
    expect(sizes.filter((n) => n === 312).length).toBeGreaterThan(5);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(Math.floor(10_000 / 128));
    expect(sizes.at(-1)).toBeLessThanOrEqual(Math.ceil(10_000 / 128));
  });

  it('deals a listing of unknown sizes across the listing: any batch spans it', () => {
    const entries = listing(1000);
    const [first] = drain(new BatchQueue(entries, 2));
    const indexes = first!.map((e) => Number(e.oid));
    expect(Math.min(...indexes)).toBeLessThan(10);
    expect(Math.max(...indexes)).toBeGreaterThan(850);
  });

  it('gives the biggest files first where sizes are known, and keeps to a limit', () => {
    const entries = listing(500, (i) => (i * 7919) % 100_000);
    const queue = new BatchQueue(entries, 2);
    const small = queue.take(queue.smallest)!;
    const weights = small.map((e) => e.size! + 2048);
    expect(weights.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(queue.smallest + Math.max(...weights));
    const rest = drain(queue);
    const order = [...small, ...rest.flat()].map((e) => e.size!);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(order).toHaveLength(500);
  });

  it('always hands out at least one file, and nothing for an empty listing', () => {
    const huge = new BatchQueue([{ path: 'big.md', size: 50_000_000 }, ...listing(3, () => 10)], 2);
    expect(huge.take(1)).toEqual([{ path: 'big.md', size: 50_000_000 }]);
    expect(drain(huge).flat()).toHaveLength(3);
    expect(new BatchQueue([], 2).take()).toBeUndefined();
  });
});

describe('resultCompactor, fresh results', () => {
  it('shares the strings and declaring objects of parsed results in place, keeping them equal', () => {
    const result: FileResult = {
      path: 'agents/a.yaml',
      findings: [{ rule: 'references', severity: 'error', message: 'm'.repeat(100), file: 'agents/a.yaml', line: 3, column: 1 }],
      facts: {
        kind: 'agent',
        resources: [{ kind: 'agent', name: 'a_agent_with_a_long_name', line: 1, column: 7 }],
        refs: [1, 2].map((n) => ({
          kind: 'tool' as const,
          name: `tool_${n}_with_a_long_name`,
          from: { kind: 'agent' as const, name: 'a_agent_with_a_long_name' },
          via: 'tools',
          line: 4 + n,
          column: 5,
        })),
      },
    };
    const keep = resultCompactor();
    const first = JSON.parse(JSON.stringify(result)) as FileResult;
    const second = JSON.parse(JSON.stringify(result)) as FileResult;
    const kept = keep(first, { fresh: true });
    expect(kept).toBe(first); // no copy
    expect(kept).toEqual(result);
    expect(kept.facts.refs[0]!.from).toBe(kept.facts.refs[1]!.from);
    // A result of this thread (copied) and a parsed one share their declaring objects too.
    const own = keep(structuredClone(result));
    expect(own).not.toBe(result);
    expect(own.facts.refs[0]!.from).toBe(kept.facts.refs[0]!.from);
    expect(keep(second, { fresh: true }).facts.refs[1]!.from).toBe(kept.facts.refs[1]!.from);
    expect(JSON.stringify(own)).toBe(JSON.stringify(result));
  });
});

describe("resultCompactor, this thread's results", () => {
  it('copies results to their own objects, but compacts references and declarations in place', () => {
    const text = 'name: a_agent_with_a_long_name\ntools: [tool_1_with_a_long_name]\n';
    const result: FileResult = {
      path: 'agents/a.yaml',
      findings: [],
      facts: {
        resources: [{ kind: 'agent', name: text.slice(6, 30), line: 1, column: 7 }],
        refs: [
          { kind: 'tool', name: text.slice(39, 62), from: { kind: 'agent', name: text.slice(6, 30) }, via: 'tools', line: 2, column: 9 },
        ],
      },
    };
    const [ref] = result.facts.refs;
    const [decl] = result.facts.resources;
    const kept = resultCompactor()(result);
    expect(kept).not.toBe(result);
    expect(kept.facts).not.toBe(result.facts);
    expect(kept.facts.refs[0]).toBe(ref);
    expect(kept.facts.resources[0]).toBe(decl);
    expect(kept.facts.refs[0]).toEqual({
      kind: 'tool',
      name: 'tool_1_with_a_long_name',
      from: { kind: 'agent', name: 'a_agent_with_a_long_name' },
      via: 'tools',
      line: 2,
      column: 9,
    });
  });
});

describe('analyzeInThread, leaveOutEmpty', () => {
  const policy = parsePolicy(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());

  it('gives no result for a file without findings or facts, and every other result as before', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wxo-leave-out-'));
    try {
      mkdirSync(join(root, 'agents'));
      mkdirSync(join(root, 'docs'));
      const files: Record<string, string> = {
        'docs/plain.md': '# Nothing to see\n',
        'docs/leak.md': `token: ${['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('')}\n`,
        'agents/a.yaml': 'spec_version: v1\nkind: native\nname: a\ndescription: d\nllm: x\ntools: [t]\n',
        'values.yaml': 'values:\n  x: 1\n',
      };
      for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
      const entries = Object.keys(files).map((path) => ({ path }));
      const all = await analyzeInThread(root, { type: 'worktree' }, entries, policy);
      const kept = await analyzeInThread(root, { type: 'worktree' }, entries, policy, { leaveOutEmpty: true });
      expect(all.map((r) => r.path)).toEqual(Object.keys(files));
      expect(kept.map((r) => r.path)).toEqual(['docs/leak.md', 'agents/a.yaml', 'values.yaml']);
      expect(kept).toEqual(all.filter((r) => r.path !== 'docs/plain.md'));
      expect(all[0]).toMatchObject({ findings: [], facts: { resources: [], refs: [] } });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
