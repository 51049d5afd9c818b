import { describe, expect, it } from 'vitest';
import { HOOK_NAMES } from '../src/hooks/names.js';
import { hookShim } from '../src/setup/hookShim.js';

/** setup/hookShim.ts: one template for every hook `init` writes to .husky/. */
describe('hookShim', () => {
  it('hands each hook over to `wxo-policy hook <name>` through the launcher, or says how to install', () => {
    for (const hook of HOOK_NAMES) {
      const shim = hookShim(hook);
      expect(shim.startsWith(`# wxo-policy: hands over to \`wxo-policy hook ${hook}\``)).toBe(true);
      expect(shim.endsWith(`exec "$l" hook ${hook} "$@"\n`)).toBe(true);
      expect(shim).toContain('l="$(git rev-parse --git-common-dir)/wxo-policy/run"');
      expect(shim).toContain(
        'echo "wxo-policy is not installed in this clone: run npm install (its prepare script runs wxo-policy install)" >&2; exit 1;',
      );
    }
  });

  it('post-commit alone starts no node process for an ordinary commit', () => {
    expect(hookShim('post-commit')).toContain('git log -1 --no-show-signature --format=%P%n%B');
    for (const hook of HOOK_NAMES.filter((h) => h !== 'post-commit')) expect(hookShim(hook)).not.toContain('git log');
  });
});
