import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_RULES } from '../src/checks/analyzeFile.js';
import { readFileInput, type AnalyzeContext } from '../src/checks/fileInput.js';
import { connectionTemplateRule } from '../src/checks/rules/connectionTemplate.js';
import { schemaRule } from '../src/checks/rules/schema.js';
import { secretsRule } from '../src/checks/rules/secrets.js';
import { yamlSyntaxRule } from '../src/checks/rules/yamlSyntax.js';
import { compileClassifier } from '../src/policy/fileClassifier.js';
import { parsePolicy } from '../src/policy/parsePolicy.js';
import { RULES } from '../src/policy/rules.js';
import { defaultPolicyText } from '../src/snapshot/policyCache.js';
import { PROJECT_ROOT } from './helpers/cli.js';

/*
 * The file rules one by one, each on a file read once by readFileInput — the parts analyzeFile
 * orchestrates (the end-to-end suite drives them together through the CLI and the hooks).
 */

const policy = parsePolicy(readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8'), 'default', defaultPolicyText());
const ctx: AnalyzeContext = { policy, classifier: compileClassifier(policy) };
const input = (path: string, text: string | Buffer) => readFileInput(path, Buffer.isBuffer(text) ? text : Buffer.from(text), ctx);
const check = async (rule: (typeof FILE_RULES)[number], path: string, text: string | Buffer) => rule.check(input(path, text), ctx);
// Built at run time so no scanner flags this file.
const literal = ['s3cr', 'etValue', '9'].join('');

describe('file rules', () => {
  it('analyzeFile runs exactly the registry rules of stage file, each with its own module', () => {
    const fileStage = RULES.filter((r) => (r.stages as readonly string[]).includes('file')).map((r) => r.id);
    expect(FILE_RULES.map((r) => r.id).sort()).toEqual([...fileStage].sort());
    // In a range scan of commits only the rules that can report a leaked credential run.
    expect(FILE_RULES.filter((r) => r.inSecretScans).map((r) => r.id)).toEqual(['connection-template', 'secrets']);
  });

  it('readFileInput parses once and resolves the kind; oversized and binary files are not parsed', () => {
    const agent = input('agents/a.yaml', 'spec_version: v1\nkind: native\nname: a\n');
    expect(agent.form).toBe('text');
    if (agent.form !== 'text') return;
    expect(agent.kind).toBe('agent');
    expect(agent.parsedOk).toBe(true);
    expect(agent.at(['name'])).toEqual({ line: 3, column: 7 });
    expect(input('agents/b.yaml', Buffer.from([0, 1, 2, 0])).form).toBe('binary');
    const big = readFileInput('agents/c.yaml', Buffer.alloc(policy.secrets.max_file_bytes + 1, 'a'), ctx);
    expect(big).toMatchObject({ form: 'oversized', binary: false });
  });

  it('yaml-syntax: parse errors at their position, several documents, binary YAML, invalid UTF-8', async () => {
    expect(await check(yamlSyntaxRule, 'agents/a.yaml', 'name: a\n')).toEqual([]);
    expect(await check(yamlSyntaxRule, 'agents/a.yaml', 'name: a\nbad: [\n')).toEqual([
      { severity: 'error', at: { line: 3, column: 1 }, message: expect.stringContaining('Flow sequence') },
    ]);
    // The parser's warnings stay warnings.
    expect(await check(yamlSyntaxRule, 'agents/a.yaml', 'name: a\nname: b\n')).toEqual([
      { severity: 'warning', at: { line: 2, column: 1 }, message: expect.stringContaining('duplicate key "name"') },
    ]);
    expect(await check(yamlSyntaxRule, 'agents/a.yaml', 'name: a\n---\nname: b\n')).toEqual([
      { severity: 'error', at: { line: 1, column: 1 }, message: expect.stringContaining('2 YAML documents') },
    ]);
    expect(await check(yamlSyntaxRule, 'agents/a.yaml', Buffer.from([0x6e, 0, 0x61]))).toEqual([
      { severity: 'error', at: { line: 1, column: 1 }, message: expect.stringContaining('binary content') },
    ]);
    expect(await check(yamlSyntaxRule, 'docs/a.bin', Buffer.from([0x6e, 0, 0x61]))).toEqual([]);
    const latin1 = await check(
      yamlSyntaxRule,
      'agents/a.yaml',
      Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect(latin1).toEqual([{ severity: 'error', at: { line: 1, column: 10 }, message: expect.stringContaining('not valid UTF-8') }]);
  });

  it('schema: the top level is a mapping and the kind schema holds, at the offending key', async () => {
    expect(await check(schemaRule, 'agents/a.yaml', '- a\n- b\n')).toEqual([
      { severity: 'error', at: { line: 1, column: 1 }, message: expect.stringContaining('found a list') },
    ]);
    const hits = await check(schemaRule, 'agents/a.yaml', 'spec_version: v1\nkind: native\nname: a\ndescription: d\nllm: x/y\nstyle: 42\n');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.at.line === 6)).toBe(true);
    // Not a wxO file: the schema rule has nothing to say.
    expect(await check(schemaRule, 'docs/notes.yaml', '- a\n')).toEqual([]);
  });

  it('connection-template: a literal credential is masked and hashed; placeholders pass', async () => {
    const file = (secret: string) =>
      `spec_version: v1\nkind: connection\napp_id: crm\nenvironments:\n  draft:\n    kind: bearer\n    type: team\n    credentials:\n      token: ${secret}\n`;
    expect(await check(connectionTemplateRule, 'connections/crm.yaml', file('${CRM_TOKEN}'))).toEqual([]);
    const [hit, ...rest] = await check(connectionTemplateRule, 'connections/crm.yaml', file(literal));
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ severity: 'error', at: { line: 9, column: 14 }, extra: { hash: expect.any(String) } });
    expect(hit!.extra!.message).not.toContain(literal);
    // Only connection files.
    expect(await check(connectionTemplateRule, 'agents/a.yaml', file(literal))).toEqual([]);
  });

  it('secrets: credential-named keys in every document, masked, with the allowlist hash; excluded paths and binaries pass', async () => {
    const hits = await check(secretsRule, 'agents/a.yaml', `name: a\n---\npassword: ${literal}\n`);
    expect(hits).toEqual([
      {
        severity: 'error',
        at: { line: 3, column: 11 },
        message: expect.stringContaining('credential-named key "password"'),
        extra: { hash: expect.any(String) },
      },
    ]);
    expect(hits[0]!.message).not.toContain(literal);
    expect(await check(secretsRule, 'agents/a.yaml', 'password: ${A_PASSWORD}\n')).toEqual([]);
    expect(await check(secretsRule, 'agents/a.yaml', Buffer.from([0, 1, 2]))).toEqual([]);
    const big = await secretsRule.check(readFileInput('notes.txt', Buffer.alloc(policy.secrets.max_file_bytes + 1, 'a'), ctx), ctx);
    expect(big).toEqual([
      { severity: 'warning', at: { line: 1, column: 1 }, message: expect.stringContaining('scanned for secrets as text') },
    ]);
  });
});
