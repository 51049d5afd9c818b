import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastParseYaml, locateFast } from '../src/yaml/fastYaml.js';
import { locate } from '../src/yaml/locate.js';
import { readYaml } from '../src/yaml/readYaml.js';
import { PROJECT_ROOT } from './helpers/cli.js';

/**
 * The fast YAML path must never disagree with the `yaml` package: whenever it returns a value,
 * the package parses the same text without errors or warnings, to the same value, with every node
 * and key at the same line:column. Where it is unsure it must give up.
 */
function nodePaths(value: unknown, path: string[] = []): string[][] {
  const out = [path];
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...nodePaths(v, [...path, k]));
  return out;
}

/** Undefined when both agree (or the fast path gave up); otherwise what differs. */
function disagreement(text: string): string | undefined {
  const fast = fastParseYaml(text);
  if (!fast) return undefined;
  const lib = readYaml(text);
  if (lib.errors.length || lib.warnings.length || lib.documentCount !== 1)
    return `the package reports ${JSON.stringify([...lib.errors, ...lib.warnings].map((e) => e.message))}`;
  if (!isDeepStrictEqual(lib.value, fast.value)) return `values differ: ${JSON.stringify(lib.value)} vs ${JSON.stringify(fast.value)}`;
  for (const p of nodePaths(fast.value)) {
    const a = locate(lib.doc, lib.lineCounter, p);
    const b = locateFast(fast.positions, p);
    if (a.line !== b.line || a.column !== b.column) return `node ${p.join('.')} at ${a.line}:${a.column}, fast says ${b.line}:${b.column}`;
    if (p.length) {
      const key = p[p.length - 1]!;
      const ak = locate(lib.doc, lib.lineCounter, p.slice(0, -1), { key });
      const bk = locateFast(fast.positions, p.slice(0, -1), key);
      if (ak.line !== bk.line || ak.column !== bk.column)
        return `key ${p.join('.')} at ${ak.line}:${ak.column}, fast says ${bk.line}:${bk.column}`;
    }
  }
  return undefined;
}

describe('fast YAML path', () => {
  it('agrees with the yaml package on every YAML file of this repository, and reads almost all of them', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim().split('\n');
    let read = 0;
    for (const f of files) {
      const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
      expect(disagreement(text), f).toBeUndefined();
      if (fastParseYaml(text)) read++;
    }
    expect(read / files.length).toBeGreaterThan(0.9);
  });

  it.each([
    [
      'plain scalars resolve as YAML 1.1',
      'a: yes\nb: No\nc: on\nd: 0777\ne: 0x1F\nf: 1_000\ng: .inf\nh: -.5\ni: 2021-11-27\nj: ~\nk: 1:20\nl: 3.0\nm: 1e3\nn: +12\n',
    ],
    [
      'words that only start like booleans or nulls, and quoted strings with and without escapes',
      `a: Yessir\nb: nullify\nc: Trueish\nd: offline\ne: onwards\nf: NOWHERE\ng: 'it''s'\nh: "back\\\\slash"\ni: "plain quoted"\nj: 'single'\nk: "tab\\there" # c\nl: False\nm: Inf\n`,
    ],
    ['quoted scalars with escapes', `a: "x\\ty \\u00e9 \\"q\\" \\\\"\nb: 'it''s'\nc: "#not a comment"\nd: 'a: b'\n`],
    ['comments everywhere', '# head\na: 1 # one\n\n  # indented comment\nb:  # empty value\nc: x#y\n'],
    [
      'literal and folded block scalars',
      'a: |\n  one\n    two\n\n  three\nb: >\n  folded\n  line\n\n  para\n    more\n  back\nc: >-\n  x\n\n\n  y\nd: |-\n  z\n\ne: end\n',
    ],
    ['block scalars with blank lines around and whitespace-only lines', 'a: |\n\n  first\n   \n  last\n\n\nb: >\n  x\n  \n  y\n'],
    ['sequences in all positions', 'a:\n- 1\n- two\nb:\n  - x: 1\n    y: [1, 2]\n  -\n    z: null\n  - - nested\nc: []\n'],
    ['flow collections', 'a: [1, "two", three, {x: 1, y: [a, b]}]\nb: {k: v, "q k": 2}\nc: {}\n'],
    ['keys that are not strings', 'yes: 1\n200: ok\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['multi-line plain scalars', 'a: one\n  two\nb: 1\n'],
    ['indentation errors', 'a:\n  b: 1\n c: 2\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a leading document marker', '---\na: 1\n'],
    ['compact mappings in sequences', 'steps:\n  - name: a\n    run: |\n      echo hi\n  - name: b\n    with: {k: v}\n'],
    ['colon inside plain values', 'url: http://x.example:8080/a\nb: a: b\nc: time 10:30\n'],
    ['more-indented first content line', 'a: >\n    deep\n  shallow\n'],
    ['keep chomping', 'a: |+\n  x\n\nb: 1\n'],
    ['explicit indentation', 'a: |2\n   x\n'],
  ])('%s', (_, text) => {
    expect(disagreement(text)).toBeUndefined();
  });

  it('reads the common shapes itself', () => {
    for (const text of ['a: yes\nb: [1, 2]\n', 'a: |\n  x\nb: >-\n  y\n', 'a:\n- 1\n- 2\nb: {c: d}\n', 'a: \'q\'\nb: "r"\n'])
      expect(fastParseYaml(text), text).toBeDefined();
    for (const text of ['a: &x 1\n', 'a: 1\na: 2\n', 'a: one\n  two\n', '', '# only\n', 'a: |2\n   x\n'])
      expect(fastParseYaml(text), text).toBeUndefined();
  });

  it('leaves a __proto__ key to the package, which keeps it as a key', () => {
    for (const text of ['__proto__:\n  polluted: true\nb: 2\n', 'a:\n  __proto__: {polluted: true}\n', 'a: {__proto__: 1}\n']) {
      expect(fastParseYaml(text), text).toBeUndefined();
      expect(disagreement(text)).toBeUndefined();
    }
    const value = readYaml('__proto__:\n  polluted: true\n').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('agrees on thousands of random documents and their mutations', () => {
    let seed = 20261126;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const scalars = [
      'x',
      'yes',
      'no',
      'on',
      '1',
      '0.5',
      '010',
      '~',
      'null',
      'a b',
      'a#b',
      'a #b',
      '"q"',
      "'s'",
      '"a: b"',
      '[1, 2]',
      '{a: 1}',
      '-1',
      '1:20',
      'true',
      'http://h:1/p',
      '',
      '"é\\t"',
      '- x',
      '&a',
      '*a',
      '!t x',
      '@x',
      '`x`',
      '?',
      ':',
      'a:b',
    ];
    const keys = ['a', 'b', 'name', 'tools', 'x y', '"q"', "'s'", 'yes', '200', 'a-b', 'a_b'];
    const block = (indent: string) =>
      `${pick(['|', '>', '|-', '>-', '|+', '>+'])}\n` +
      Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
        rand() < 0.2
          ? ''
          : rand() < 0.3
            ? `${indent}    more`
            : rand() < 0.1
              ? `${indent}   `
              : `${indent}  line ${Math.floor(rand() * 9)}`,
      ).join('\n');
    const value = (depth: number, indent: string): string => {
      const r = rand();
      if (depth > 2 || r < 0.45) return ` ${pick(scalars)}`.replace(/ $/, '');
      if (r < 0.6) return ` ${block(indent)}`;
      if (r < 0.8) return `\n${mapping(depth + 1, `${indent}  `)}`;
      return `\n${sequence(depth + 1, rand() < 0.3 ? indent : `${indent}  `)}`;
    };
    const mapping = (depth: number, indent: string): string => {
      const used = new Set<string>();
      return Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
        const k = pick(keys);
        if (used.has(k) && rand() < 0.9) return '';
        used.add(k);
        return `${indent}${k}:${value(depth, indent)}${rand() < 0.1 ? ' # c' : ''}`;
      })
        .filter(Boolean)
        .join('\n');
    };
    const sequence = (depth: number, indent: string): string =>
      Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
        rand() < 0.3 ? `${indent}- ${mapping(depth + 1, `${indent}  `).trimStart()}` : `${indent}-${value(depth, `${indent}  `)}`,
      ).join('\n');
    let read = 0;
    for (let n = 0; n < 3000; n++) {
      let text = `${mapping(0, '')}\n`;
      if (rand() < 0.3) {
        const lines = text.split('\n');
        const at = Math.floor(rand() * lines.length);
        lines[at] = pick([` ${lines[at]}`, lines[at]!.slice(1), '', '  # x', `${lines[at]} #`, lines[at]!.replace(':', ' :')]);
        text = lines.join('\n');
      }
      const problem = disagreement(text);
      expect(problem, JSON.stringify(text)).toBeUndefined();
      if (fastParseYaml(text)) read++;
    }
    expect(read).toBeGreaterThan(300);
  });
});
