import { describe, expect, it } from 'vitest';
import { FactsCache } from '../src/checks/factsCache.js';
import type { FileFacts } from '../src/checks/types.js';
import { tempDir } from './helpers/tmp.js';

const toolFacts = (name: string): FileFacts => ({
  kind: 'python_tool',
  resources: [{ kind: 'tool', name, line: 1, column: 1 }],
  refs: [],
  refHashes: '',
});

describe('the facts cache', () => {
  it('drops the entries of blobs the listed snapshot no longer has when it rewrites its file, not when it appends', () => {
    const gitDir = tempDir('wxo-facts-');
    const first = FactsCache.load(gitDir, 'policy');
    first.set('a1', 'tools/a.py', toolFacts('a'));
    first.set('b1', 'tools/b.py', toolFacts('b'));
    first.save(() => new Set(['a1:tools/a.py', 'b1:tools/b.py']));

    // A few new entries go to the journal: nothing is dropped, whatever the snapshot.
    const second = FactsCache.load(gitDir, 'policy');
    second.set('b2', 'tools/b.py', toolFacts('b'));
    second.save(() => new Set(['a1:tools/a.py', 'b2:tools/b.py']));
    const third = FactsCache.load(gitDir, 'policy');
    expect([third.get('a1', 'tools/a.py'), third.get('b1', 'tools/b.py'), third.get('b2', 'tools/b.py')].every(Boolean)).toBe(true);

    // A journal over its limit rewrites the file: b1 (no longer listed) goes; the listed and the new stay.
    for (let i = 0; i < 2001; i++) third.set(`n${i}`, `tools/n${i}.py`, toolFacts(`n${i}`));
    third.save(() => new Set(['a1:tools/a.py', 'b2:tools/b.py']));
    const fourth = FactsCache.load(gitDir, 'policy');
    expect(fourth.get('b1', 'tools/b.py')).toBeUndefined();
    expect(fourth.get('a1', 'tools/a.py')?.resources[0]?.name).toBe('a');
    expect(fourth.get('b2', 'tools/b.py')).toBeDefined();
    expect(fourth.get('n0', 'tools/n0.py')).toBeDefined();
    expect(fourth.get('n2000', 'tools/n2000.py')).toBeDefined();
  });

  it('keeps every entry when the caller lists nothing to keep by (a save without a listing)', () => {
    const gitDir = tempDir('wxo-facts-');
    const cache = FactsCache.load(gitDir, 'policy');
    cache.set('a1', 'tools/a.py', toolFacts('a'));
    cache.save();
    const again = FactsCache.load(gitDir, 'policy');
    for (let i = 0; i < 2001; i++) again.set(`n${i}`, `tools/n${i}.py`, toolFacts(`n${i}`));
    again.save();
    expect(FactsCache.load(gitDir, 'policy').get('a1', 'tools/a.py')).toBeDefined();
  });
});
