import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globList } from '../src/policy/fileClassifier.js';

/**
 * The classifier answers for every path of a repository in every hook, so its globs take
 * shortcuts in front of picomatch (a literal glob is compared as a string, `dir/**\/*.ext` decided by
 * the directory and the extension, plain runs of a glob looked for as substrings). The shortcuts
 * must say what picomatch says.
 */
const GLOBS = [
  'agents/**/*.{yaml,yml,json}',
  'tools/**/*.py',
  'models/policies/**/*.{yaml,yml}',
  '**/*.{yaml,yml,json}',
  'tenant.yaml',
  'values.yaml',
  'wxo-policy.yaml',
  'node_modules/**',
  '**/node_modules/**',
  'dist/**',
  'package-lock.json',
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/id_rsa',
  '**/*.rendered.yaml',
  '**/.rendered/**',
  'docs/*.md',
  'a?c/*.yaml',
  'x/[ab]/*.yaml',
  'environments/*/agents/*.yaml',
];
const PATHS = [
  'agents/x.yaml',
  'agents/.yaml',
  'agents/a/.b.yaml',
  'agents/a/b/c.json',
  'agents/.hidden/x.yml',
  'agents/x.YAML',
  'agents/x.yaml.bak',
  'agents',
  'agentsx/y.yaml',
  'sub/agents/x.yaml',
  'agents//x.yaml',
  'agents/./x.yaml',
  'agents/../x.yaml',
  './agents/x.yaml',
  'tools/t/t.py',
  'tools/t/test_t.py',
  'tools.py',
  'models/policies/p.yaml',
  'models/p.yaml',
  'tenant.yaml',
  './tenant.yaml',
  'a/tenant.yaml',
  'tenant.yaml.bak',
  'values.yaml',
  'node_modules/x/y.js',
  'a/node_modules/b',
  'node_modules',
  'a/node_modulesx/b',
  'dist/x.js',
  'package-lock.json',
  'a/package-lock.json',
  '.env',
  'a/.env',
  'a/.env.local',
  'k/key.pem',
  'home/.ssh/id_rsa',
  'x/a.rendered.yaml',
  'x/.rendered/y',
  'docs/a.md',
  'docs/a/b.md',
  'abc/x.yaml',
  'x/a/y.yaml',
  'environments/dev/agents/a.yaml',
];

describe('the classifier’s glob shortcuts', () => {
  it.each(GLOBS)('%s says what picomatch says, path for path', (glob) => {
    const ours = globList([glob]);
    const theirs = picomatch(glob, { dot: true });
    expect(PATHS.filter((p) => ours(p))).toEqual(PATHS.filter((p) => theirs(p)));
  });
});
