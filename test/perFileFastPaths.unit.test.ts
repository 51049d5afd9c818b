import { describe, expect, it } from 'vitest';
import { resultCompactor } from '../src/checks/compact.js';
import { ibmCloudApiKey } from '../src/checks/secrets/rules/ibmCloudApiKey.js';
import { jwt } from '../src/checks/secrets/rules/jwt.js';
import { urlCredentials } from '../src/checks/secrets/rules/urlCredentials.js';
import type { FileResult } from '../src/checks/types.js';
import { MAX_NESTING, nestingTooDeepAt } from '../src/kinds/parse.js';
import { jsonLocator } from '../src/yaml/locateJson.js';

/*
 * The shortcuts `check --all` takes per file (bench/: check --all on 10,000 files) give the answers
 * of the slower code they replace: a locator that reads only the containers on a path, the
 * nesting scan skipped when there are too few brackets, cheaper detector triggers, a cheaper copy.
 */

describe('jsonLocator of a text JSON.parse accepted', () => {
  const texts = [
    '{\n  "spec": { "name": "flow" },\n  "nodes": {\n    "a b": { "spec": { "kind": "tool", "tool": "t1" } },\n    "c": [1, {"x": "y\\"}"}, 3]\n  }\n}\n',
    // duplicate keys: the index lets the last one written win, across every matching path
    '{"a":{"x":1,"z":[1,2]},"b":2,"a":{"y":{"q":3}}}',
    '{"a":{"a":{"a":1}},"a":{"b":2}, "a" : [ {"a": "}"} ]}',
    ' [ {"k" : "v\\"x" , "n":[ ]} , 3 , "s", -1.5e3, true, null] ',
    '{"a\\nb": {"c\\u0041": true}, "t": null}',
    // an empty key makes the index's ids collide: answered by the index itself
    '{"": {"x": 1}, "x": 2}',
    '{}',
    '[]',
  ];
  const pathsOf = (value: unknown, path: string[] = []): string[][] => {
    const out = [path, [...path, 'missing'], [...path, 'missing', 'deeper']];
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...pathsOf(v, [...path, k]));
    return out;
  };
  it.each(texts)('answers %j as the full index does, for every path and key', (text) => {
    const indexed = jsonLocator(text);
    const read = jsonLocator(text, true);
    for (const path of pathsOf(JSON.parse(text))) {
      expect(read(path), JSON.stringify(path)).toBe(indexed(path));
      for (const key of ['missing', ...Object.keys(JSON.parse(text) as object), 'a', 'x', '0'])
        expect(read(path, key), `${JSON.stringify(path)} key ${key}`).toBe(indexed(path, key));
    }
  });
  it('points at the last of duplicate keys, and at keys and values', () => {
    const text = '{"a": {"x": 1}, "a": {"y": 2}}';
    const at = jsonLocator(text, true);
    expect(at(['a'])).toBe(text.lastIndexOf('{'));
    expect(at([], 'a')).toBe(text.lastIndexOf('"a"'));
    expect(at(['a', 'x'])).toBe(text.indexOf('1')); // only the first has x: the index keeps it
    expect(at(['a', 'y'])).toBe(text.indexOf('2'));
  });
});

describe('nestingTooDeepAt', () => {
  it('finds the first bracket past the limit', () => {
    const deep = '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1);
    expect(nestingTooDeepAt(deep)).toBe(MAX_NESTING);
    expect(nestingTooDeepAt(`{"a": ${deep}}`)).toBe(MAX_NESTING + 5);
    expect(nestingTooDeepAt('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING))).toBe(-1);
  });
  it('counts no bracket inside quotes, and needs no scan with few brackets', () => {
    expect(nestingTooDeepAt(`"${'['.repeat(MAX_NESTING + 5)}"`)).toBe(-1);
    expect(nestingTooDeepAt(`a: '${'{'.repeat(MAX_NESTING + 5)}'`)).toBe(-1);
    // a quote inside a word does not open a string: the brackets after it count
    expect(nestingTooDeepAt(`it's ${'['.repeat(3)}`, 2)).toBe(7);
    expect(nestingTooDeepAt('[[]] [[]]', 2)).toBe(-1);
    expect(nestingTooDeepAt('[[[]]]', 2)).toBe(2);
  });
});

describe('detector triggers', () => {
  it('let through every text the full patterns could report on', () => {
    const key = 'Ab3' + 'x9'.repeat(20) + 'Z';
    const token = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'c2lnbmF0dXJlc2lnbmF0dXJlMTIz'].join('.');
    for (const text of [`apikey: ${key}`, `API_KEY=${key}`, `Api-Key "${key}"`, `my_apiKey: ${key}`])
      expect(ibmCloudApiKey.scan(text).length > 0 && ibmCloudApiKey.trigger.test(text), text).toBe(true);
    expect(jwt.scan(`token: ${token}`)).toHaveLength(1);
    expect(jwt.trigger.test(`token: ${token}`)).toBe(true);
    const url = 'https://svc_user:Zq8vLp2Rt7@crm.corp.internal/api';
    expect(urlCredentials.scan(url)).toHaveLength(1);
    expect(urlCredentials.trigger.test(url)).toBe(true);
  });
  it('stop texts that cannot match', () => {
    expect(ibmCloudApiKey.trigger.test('a key to the api')).toBe(false);
    expect(jwt.trigger.test('nothing here')).toBe(false);
    expect(urlCredentials.trigger.test('user:pass@host, no scheme')).toBe(false);
    expect(urlCredentials.trigger.test('https://example.com/path')).toBe(false);
  });
});

describe('resultCompactor', () => {
  it('keeps the result as it was, sharing repeated names and declaring objects', () => {
    const long = 'a'.repeat(100);
    const result: FileResult = {
      path: 'agents/a.yaml',
      findings: [{ rule: 'secrets', severity: 'error', message: long, file: 'agents/a.yaml', line: 3, column: 1 }],
      facts: {
        kind: 'agent',
        resources: [{ kind: 'agent', name: 'a_agent_with_a_long_name', line: 1, column: 7 }],
        refs: [
          {
            kind: 'tool',
            name: 'tool_one_with_long_name',
            from: { kind: 'agent', name: 'a_agent_with_a_long_name' },
            via: 'tools',
            line: 5,
            column: 5,
          },
          {
            kind: 'tool',
            name: 'tool_two_with_long_name',
            from: { kind: 'agent', name: 'a_agent_with_a_long_name' },
            via: 'tools',
            line: 6,
            column: 5,
          },
        ],
      },
    };
    const keep = resultCompactor();
    const kept = keep(structuredClone(result));
    expect(kept).toEqual(result);
    expect(JSON.stringify(kept)).toBe(JSON.stringify(result));
    expect(kept.facts.refs[0]!.from).toBe(kept.facts.refs[1]!.from);
  });
});
