import { messages } from '../messages.js';
import { ruleFinding } from './finding.js';
import { fileFacts } from './fileFacts.js';
import { readFileInput, type AnalyzeContext } from './fileInput.js';
import { connectionTemplateRule } from './rules/connectionTemplate.js';
import type { FileRule } from './rules/fileRule.js';
import { schemaRule } from './rules/schema.js';
import { secretsRule } from './rules/secrets.js';
import { yamlSyntaxRule } from './rules/yamlSyntax.js';
import { applyInlineIgnores, parseInlineIgnores } from './suppressions.js';
import type { FileResult, Finding } from './types.js';

export type { AnalyzeContext } from './fileInput.js';

/**
 * Everything that can be judged from one file alone — the rules of stage `file` in the registry
 * (src/policy/rules.ts), each in its own module of checks/rules/ — plus the facts the
 * repository-wide rules need. This only orchestrates: read and parse the file once
 * (checks/fileInput.ts), run the rules that apply, turn their hits into findings (ruleFinding),
 * apply inline suppressions. Pure apart from secretlint's lazy loading, and safe to run in a
 * worker thread.
 */
export const FILE_RULES: readonly FileRule[] = [yamlSyntaxRule, schemaRule, connectionTemplateRule, secretsRule];

/**
 * One hostile file must not end the whole run (a stack overflow in a recursive reader would exit
 * 2 with no findings at all): it is reported, and the others are checked.
 */
export async function analyzeFile(path: string, content: Buffer, ctx: AnalyzeContext): Promise<FileResult> {
  try {
    return await analyzeFileUnguarded(path, content, ctx);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const finding = ctx.only
      ? undefined
      : ruleFinding(ctx.policy, 'yaml-syntax', { file: path, line: 1, column: 1, message: messages.fileNotChecked('nested too deeply') });
    return { path, findings: finding ? [finding] : [], facts: { resources: [], refs: [] } };
  }
}

async function analyzeFileUnguarded(path: string, content: Buffer, ctx: AnalyzeContext): Promise<FileResult> {
  const file = readFileInput(path, content, ctx);
  const facts = fileFacts(file, ctx);
  const findings: Finding[] = [];
  if (ctx.only !== 'facts') {
    for (const rule of FILE_RULES) {
      if (ctx.only === 'secrets' && !rule.inSecretScans) continue;
      for (const hit of await rule.check(file, ctx)) {
        if (ctx.only === 'secrets' && rule.inSecretScans === 'hashed' && !hit.extra?.hash) continue;
        const finding = ruleFinding(
          ctx.policy,
          rule.id,
          { file: path, line: hit.at.line, column: hit.at.column, message: hit.message, ...hit.extra },
          hit.severity,
        );
        if (finding) findings.push(finding);
      }
    }
  }
  if (file.form !== 'text') return { path, findings, facts };
  const ignores = parseInlineIgnores(file.text, file.positionOf);
  return { path, findings: applyInlineIgnores(dedupeFindings(findings), ignores, path), facts };
}

/** Structural and text detectors may both see the same credential: keep one finding per line. */
function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.rule !== 'secrets' || !f.hash) return true;
    const key = `${f.line}|${f.hash}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
