import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distIsStale } from './helpers/distFresh.js';
import { tempDir } from './helpers/tmp.js';

/** The end-to-end tests refuse to run on a dist/ older than its sources. */
function project(): string {
  const root = tempDir();
  for (const dir of ['src/checks', 'schemas', 'dist']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'src', 'checks', 'a.ts'), '');
  writeFileSync(join(root, 'schemas', 'x.schema.json'), '{}');
  writeFileSync(join(root, 'dist', 'build-id.txt'), 'id\n');
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(root, 'src', 'checks', 'a.ts'), past, past);
  utimesSync(join(root, 'schemas', 'x.schema.json'), past, past);
  return root;
}

describe('distIsStale', () => {
  it('passes a dist/ built after its sources', () => {
    expect(distIsStale(project())).toBeUndefined();
  });

  it('names a source or schema newer than the build, and a missing build', () => {
    const root = project();
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'checks', 'a.ts'), future, future);
    expect(distIsStale(root)).toBe(
      'dist/ is older than src/checks/a.ts: run `npm run build` first (the end-to-end tests drive the built CLI)',
    );
    const other = project();
    utimesSync(join(other, 'schemas', 'x.schema.json'), future, future);
    expect(distIsStale(other)).toContain('dist/ is older than schemas/x.schema.json');
    const unbuilt = tempDir();
    mkdirSync(join(unbuilt, 'src'));
    expect(distIsStale(unbuilt)).toBe('dist/ is not built: run `npm run build` first');
  });
});
