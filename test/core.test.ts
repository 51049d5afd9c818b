import { describe, expect, it } from 'vitest';
import { mayInterestSecretlint, scanText } from '../src/checks/secrets/scanText.js';
import { maskSecret } from '../src/secretValue/mask.js';
import { isPlaceholderValue } from '../src/secretValue/placeholder.js';
import { findCycles } from '../src/resources/graph.js';
import { parseCommitPatches, unquote } from '../src/git/commitPatches.js';
import { jsonSyntaxError, locateJson } from '../src/yaml/locateJson.js';
import { readYaml } from '../src/yaml/readYaml.js';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hints } from '../src/messages.js';
import { DEFAULT_LEVELS, FINDING_RULES, RULE_IDS, RULES } from '../src/policy/rules.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { fake, randomChars } from './helpers/secrets.js';

/** Pure pieces of the core, without git. */
describe('readYaml', () => {
  it('uses YAML 1.1 booleans and keeps timestamps as strings', () => {
    const r = readYaml('a: yes\nb: off\nc: 2021-11-27\nd: "yes"\n');
    expect(r.value).toEqual({ a: true, b: false, c: '2021-11-27', d: 'yes' });
  });

  it('accepts duplicate keys (last wins) and warns with their position', () => {
    const r = readYaml('name: a\nx: 1\nname: b\n');
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ name: 'b', x: 1 });
    expect(r.warnings).toMatchObject([{ line: 3, column: 1, key: 'name' }]);
  });

  it('reports errors with positions and never throws', () => {
    const r = readYaml('a: [1, 2\nb: 3\n');
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]).toMatchObject({ severity: 'error' });
    expect(readYaml('').value).toBe(null);
  });
});

describe('locateJson', () => {
  const text =
    '{\n  "spec": { "name": "flow" },\n  "nodes": {\n    "a b": { "spec": { "kind": "tool", "tool": "t1" } },\n    "c": [1, {"x": "y\\"}"}, 3]\n  }\n}\n';
  const at = (path: string[], key?: string) => {
    const offset = locateJson(text, path, key);
    const before = text.slice(0, offset);
    return [before.split('\n').length, offset - before.lastIndexOf('\n')];
  };
  it('finds values and keys by path, through escapes and arrays', () => {
    expect(at(['spec', 'name'])).toEqual([2, 21]);
    expect(at(['nodes', 'a b', 'spec', 'tool'])).toEqual([4, 48]);
    expect(at(['nodes', 'c', '2'])).toEqual([5, 29]);
    expect(at(['spec'], 'name')).toEqual([2, 13]);
    expect(at(['nodes', 'missing'])).toEqual([3, 12]); // the deepest existing ancestor
  });
});

describe('jsonSyntaxError', () => {
  const cases: [string, number][] = [
    ['{"a": 1,\n}', 9],
    ['{"a" 1}', 5],
    ['{"a": 1 "b": 2}', 8],
    ['[1, 2', 5],
    ['{"a": "x\ny"}', 8],
    ['{"a": "\\q"}', 8],
    ['{"a": tru}', 6],
    ['{"a": 01}', 7],
    ['{} x', 3],
    ['', 0],
  ];
  it.each(cases)('%j fails at offset %i, as JSON.parse does', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)?.offset).toBe(offset);
    // Where Node's message carries a position, it is the same one.
    const position = /at position (\d+)/.exec(
      ((): string => {
        try {
          JSON.parse(text);
          return '';
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    )?.[1];
    if (position !== undefined) expect(jsonSyntaxError(text)?.offset).toBe(Number(position));
  });

  it('a string that runs past its line points at the line break; one that runs to the end, at its start', () => {
    expect(jsonSyntaxError('{"a": "abc}\n')).toEqual({ offset: 11, problem: 'control character (a line break or tab) inside a string' });
    expect(jsonSyntaxError('{"a": "abc}')).toEqual({ offset: 6, problem: 'unterminated string' });
  });

  it('accepts valid JSON and never quotes the text', () => {
    for (const valid of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} ', '0', '"x"'])
      expect(jsonSyntaxError(valid)).toBeUndefined();
    const secret = fake.password();
    const error = jsonSyntaxError(`{"api_key": sk-${secret}}`)!;
    expect(error.offset).toBe(12);
    expect(error.problem).not.toContain(secret.slice(0, 3));
  });
});

describe('secret detectors', () => {
  it('finds a private key whose random body happens to hold a placeholder word; a placeholder body stays quiet', async () => {
    const keysIn = async (pem: string) =>
      (await scanText(`${pem}\n`, 'key.txt', { structured: false, secretlint: false })).filter((m) => m.detector === 'wxo/private-key');
    // Any 4 base64 characters inside a line may read `ToDo` (about one real RSA body in 200 does).
    const withWord = (pem: string, word: string) => {
      const lines = pem.trim().split('\n');
      lines[3] = lines[3]!.slice(0, 20) + word + lines[3]!.slice(20 + word.length);
      return lines.join('\n');
    };
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const openssh = [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      ...wrap(Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(380)]).toString('base64')),
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n');
    const pgp = [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      '',
      ...wrap(Buffer.concat([Buffer.from([0xc5]), randomBytes(400)]).toString('base64'), 64),
      '=' + randomBytes(3).toString('base64'),
      '-----END PGP PRIVATE KEY BLOCK-----',
    ].join('\n');
    for (const [label, pem] of [
      ['pkcs8', rsa.export({ type: 'pkcs8', format: 'pem' }).toString()],
      ['pkcs1', rsa.export({ type: 'pkcs1', format: 'pem' }).toString()],
      ['openssh', openssh],
      ['openpgp', pgp],
    ] as const) {
      for (const word of ['ToDo', 'fake', 'xxxx', 'Lorem']) {
        const planted = withWord(pem, word);
        expect(await keysIn(planted), `${label} ${word}`).toHaveLength(1);
        // Kept in a JSON string (`\n`-escaped), as a compiled flow holds one: secretlint's match and
        // the credential-named key pass the same placeholder test.
        expect(isPlaceholderValue(planted), `${label} ${word}`).toBe(false);
        expect(isPlaceholderValue(JSON.stringify(planted)), `${label} ${word}`).toBe(false);
      }
    }
    for (const body of [
      'TODO-paste-the-key-here',
      'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-REDACTED-',
    ]) {
      const frame = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;
      expect(await keysIn(frame), body).toEqual([]);
      expect(isPlaceholderValue(frame), body).toBe(true);
    }
  });

  it('finds IBM Cloud API keys by their assignment, not random 44-character strings', async () => {
    const key = fake.ibmApiKey();
    for (const line of [`apikey: ${key}`, `"apikey": "${key}"`, `IBMCLOUD_API_KEY=${key}`, `orchestrate env activate x --api-key ${key}`]) {
      const found = await scanText(`${line}\n`, 'a.txt', { structured: false, secretlint: false });
      expect(
        found.map((m) => m.detector),
        line,
      ).toContain('wxo/ibm-cloud-api-key');
      expect(found[0]!.value).toBe(key);
    }
    expect(await scanText(`checksum ${key}\n`, 'a.txt', { structured: false, secretlint: false })).toEqual([]);
  });

  it('finds credentials assigned in code and prose by the name they are assigned to', async () => {
    const scan = async (line: string) =>
      (await scanText(`${line}\n`, 'a.py', { structured: false, secretlint: false })).filter(
        (m) => m.detector === 'wxo/credential-assignment',
      );
    const pw = fake.password();
    for (const [line, name] of [
      [`DB_PASSWORD = "${pw}"`, 'DB_PASSWORD'],
      [`    client_secret='${pw}',`, 'client_secret'],
      [`token := \`${pw}\``, 'token'],
      [`const cfg = { apiKey: r"${pw}" }`, 'apiKey'],
      [`| "private_key" :  "${pw}" |`, 'private_key'],
      [`x = 1; api-key="${pw}"`, 'api-key'],
    ] as const) {
      const found = await scan(line);
      expect(
        found.map((m) => m.label),
        line,
      ).toEqual([`credential assigned to "${name}"`]);
      expect(`${line}\n`.slice(found[0]!.start, found[0]!.end)).toBe(pw);
    }
    for (const line of [
      `password_url = "https://vault.example/${pw}"`,
      `token_name = "${pw}"`,
      `password = "aaaaaaaaaa"`,
      `password = "\${DB_PASSWORD}"`,
      `password = "${pw} with spaces"`,
      `comment = "${pw}"  # not a credential name`,
      `passwords are set with set_password("${pw}")`,
    ]) {
      expect(await scan(line), line).toEqual([]);
    }
  });

  it('reports signed JWTs, not unsigned ones', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'user-1', exp: 1999999999 })}.${randomChars(43)}`;
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1' })}.`;
    expect(
      (await scanText(`Authorization: Bearer ${signed}\n`, 'a.md', { structured: false, secretlint: false })).map((m) => m.detector),
    ).toEqual(['wxo/jwt']);
    expect(await scanText(`token ${unsigned}\n`, 'a.md', { structured: false, secretlint: false })).toEqual([]);
  });

  it('runs secretlint only where one of its rules could match, and drops placeholders', async () => {
    const token = fake.githubToken();
    expect((await scanText(`x ${token}\n`, 'a.md', { structured: false, secretlint: true }))[0]).toMatchObject({
      detector: 'secretlint/github',
      value: token,
    });
    expect(await scanText('AKIAIOSFODNN7EXAMPLE\nxoxb-your-token-here\n', 'a.md', { structured: false, secretlint: true })).toEqual([]);
  });

  it('lets every text through to secretlint that one of its rules could report on', () => {
    const literals = [
      ...['A3TX', 'A3T7', 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA', 'PRIVATE KEY', 'SG.', 'T3BlbkFJ'],
      ...['npm_', '_authToken=', 'x-oauth-basic', 'xapp-', 'github_pat_', 'sk-ant-api0', 'lin_api_', 'ops_ey', 'private_key_id'],
      ...[...'bpaor'].map((c) => `xox${c}-`),
      ...['pa', 'ca', 'at', 'ss'].map((c) => `shp${c}_`),
      ...[...'pousr'].map((c) => `gh${c}_`),
      ...[
        'secret_access_key',
        'SecretAccessKey',
        'account_id: ',
        'ACCOUNT =>',
        'https://u:p@h',
        'https://hooks.slack.com/services/',
        'mongodb+srv://',
        'postgresql://',
      ],
    ];
    for (const lit of literals)
      for (const text of [lit, `key: ${lit}rest`, `a\n  ${lit}\n`]) expect(mayInterestSecretlint(text), text).toBe(true);
    const nearMisses = [
      'A3Tx',
      'AKI',
      'private key',
      'SG-',
      'npm-',
      '_authtoken=',
      'x_oauth-basic',
      'xoxz-',
      'xapp_',
      'shppx_',
      'ghx_',
      'github-pat_',
      'sk-ant-api1',
      'lin-api_',
      'ops_ex',
      'private_key',
      'ops_',
      'account',
      'http://host/path',
    ];
    for (const text of nearMisses) expect(mayInterestSecretlint(`key: ${text} tool_name: x-y`), text).toBe(false);
  });

  it('finds passwords in URLs on internal hosts, and database URLs inside HTML', async () => {
    const pw = fake.password();
    const internal = await scanText(`amqp url: https://svc-crm:${pw}@crm-db.internal/api\n`, 'a.md', {
      structured: false,
      secretlint: true,
    });
    expect(internal.map((m) => m.value)).toContain(pw);
    const html = await scanText(`<pre><code>postgres://app:${pw}@db.prod.example.net/claims</code></pre>\n`, 'a.html', {
      structured: false,
      secretlint: true,
    });
    expect(html.map((m) => m.detector)).toContain('secretlint/database-connection-string');
    expect(
      await scanText('see https://user:password@example.com and postgres://u:${DB_PASSWORD}@db/app\n', 'a.md', {
        structured: false,
        secretlint: true,
      }),
    ).toEqual([]);
  });

  it('does not take an unsigned JWT for a credential, whatever it is called', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'tester' })}.`;
    expect(await scanText(`UNSIGNED_TEST_TOKEN = "${unsigned}"\n`, 'a.py', { structured: false, secretlint: true })).toEqual([]);
    expect(isPlaceholderValue(unsigned)).toBe(true);
  });

  it('takes obvious test fixtures for decoys, and a real-shaped token with a fixture word for a secret', async () => {
    const slack = ['xo', 'xb-'].join('');
    const gh = ['gh', 'p_'].join('');
    const fixtures = `FAKE_TOKEN = "${slack}test-token"  # test fixture\nGITHUB_TOKEN = "${gh}${'test'.repeat(9)}"\nAPI_KEY = "test-api-key"\n`;
    expect(await scanText(fixtures, 'tools/x/test_x.py', { structured: false, secretlint: true })).toEqual([]);
    for (const v of [`${slack}test-token`, `${gh}${'test'.repeat(9)}`, 'test-api-key', 'dummy-api-key', 'example-api-key'])
      expect(isPlaceholderValue(v), v).toBe(true);
    // Random characters next to the word: a token someone named "test" is still a token.
    const real = `${gh}${randomChars(10)}test${randomChars(22)}`;
    expect(
      (await scanText(`GITHUB_TOKEN = "${real}"  # test\n`, 'tools/x/test_x.py', { structured: false, secretlint: true })).map(
        (m) => m.value,
      ),
    ).toEqual([real]);
    const realSlack = `${slack}${randomChars(12, '0123456789')}-${randomChars(13, '0123456789')}-test${randomChars(20)}`;
    expect(await scanText(`SLACK = "${realSlack}"\n`, 'a.py', { structured: false, secretlint: true })).toHaveLength(1);
  });

  it('a four-letter mark (fake, todo, xxxx) inside a random token is chance, where a person puts it a placeholder', () => {
    // A token of 40 random letters and digits, made without a placeholder word anywhere.
    const token = randomChars(40).replace(/fake|todo|xxxx|lorem/gi, 'Q7k2');
    expect(isPlaceholderValue(token)).toBe(false);
    for (const mark of ['ToDo', 'fAkE', 'xxxx', 'TODO', 'fake']) {
      expect(isPlaceholderValue(token.slice(0, 17) + mark + token.slice(21)), `inside ${mark}`).toBe(false);
      for (const v of [
        `${mark}${token.slice(4)}`,
        `${token.slice(0, 36)}${mark}`,
        `sk-${mark}-1234`,
        `${token.slice(0, 18)}_${mark}_${token.slice(24)}`,
      ])
        expect(isPlaceholderValue(v), v).toBe(true);
    }
    // Not random around it: a word among words.
    for (const v of ['mytodolist', 'notarealfakevalue', 'NOTAREALFAKEKEY', 'abcxxxxdef']) expect(isPlaceholderValue(v), v).toBe(true);
    // The longer words never come by chance: they count anywhere.
    expect(isPlaceholderValue(token.slice(0, 17) + 'EXAMPLE' + token.slice(24))).toBe(true);
    expect(isPlaceholderValue(['AKIAIOSFODNN7', 'EXAMPLE'].join(''))).toBe(true);
  });

  it('knows placeholders and masks without revealing', () => {
    for (const v of ['${API_KEY}', 'changeme', 'your-api-key', '<token>', 'xxxxxxxx', 'WXO_PROD_API_KEY', 'dummy-token-for-tests'])
      expect(isPlaceholderValue(v), v).toBe(true);
    expect(isPlaceholderValue(fake.password())).toBe(false);
    const token = fake.githubToken();
    expect(maskSecret(token)).toBe('ghp_******** (40 chars)');
    expect(maskSecret('hunter2hunter2')).toBe('******** (14 chars)');
  });
});

describe('collaborator cycles', () => {
  it('reports each elementary cycle once', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c', 'a']],
      ['c', ['a']],
      ['d', ['d2']],
    ]);
    expect(findCycles(edges)).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
  });
});

describe('commit patches', () => {
  it('parses added lines per file, with quoted names', () => {
    const out = `\0${'a'.repeat(40)}\n\n:100644 100644 ${'1'.repeat(40)} ${'2'.repeat(40)} M\tdocs/x.md\n:000000 100644 ${'0'.repeat(40)} ${'3'.repeat(40)} A\t"new\\tfile"\n\ndiff --git a/docs/x.md b/docs/x.md\n--- a/docs/x.md\n+++ b/docs/x.md\n@@ -2,0 +3,2 @@\n+one\n+two\n@@ -9 +11 @@\n-old\n+new\ndiff --git "a/new\\tfile" "b/new\\tfile"\n--- /dev/null\n+++ "b/new\\tfile"\n@@ -0,0 +1 @@\n+x\n`;
    const changes = parseCommitPatches(out);
    expect(changes.map((c) => [c.path, [...c.addedLines]])).toEqual([
      ['docs/x.md', [3, 4, 11]],
      ['new\tfile', [1]],
    ]);
    expect(unquote('"caf\\303\\251"')).toBe('café');
  });
});

describe('the rule registry', () => {
  it('is what the policy schema, the default policy, the hints and the SARIF rules know', () => {
    const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'policy.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties.rules.properties)).toEqual([...RULE_IDS]);
    const defaults = readYaml(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8')).value as {
      rules: Record<string, string>;
    };
    expect(defaults.rules).toEqual(DEFAULT_LEVELS);
    expect(Object.keys(hints)).toEqual([...RULE_IDS, 'suppression']);
    expect(FINDING_RULES.map((r) => r.id)).toEqual([...RULE_IDS, 'suppression']);
    for (const rule of RULES) {
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.hint.length).toBeGreaterThan(10);
      expect(rule.stages.length).toBeGreaterThan(0);
    }
  });
});

/** base64 in PEM's 70- or 64-character lines. */
function wrap(b64: string, width = 70): string[] {
  return b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
}
