import { messages } from '../../messages.js';
import type { FileInput } from '../fileInput.js';
import { TOP, type FileRule, type RuleHit } from './fileRule.js';

/**
 * yaml-syntax: the file reads as the ADK reads it — UTF-8 text, YAML/JSON that parses (errors and
 * the parser's warnings), one document per wxO file.
 */
export const yamlSyntaxRule: FileRule = {
  id: 'yaml-syntax',
  check: yamlSyntax,
};

function yamlSyntax(file: FileInput): RuleHit[] {
  if (file.form === 'oversized') return [];
  if (file.form === 'binary') return file.yamlish ? [{ severity: 'error', at: TOP, message: messages.binaryWhereYaml }] : [];
  const hits: RuleHit[] = [];
  // Bytes that are not UTF-8 would reach the tenant as U+FFFD: a wxO file must be valid UTF-8.
  if ((file.yamlish || file.setting === 'python_tool') && file.text.includes('\ufffd') && !isValidUtf8(file.content)) {
    hits.push({ severity: 'error', at: file.positionOf(file.text.indexOf('\ufffd')), message: messages.invalidUtf8 });
  }
  for (const e of file.parsed?.errors ?? []) hits.push({ severity: 'error', at: { line: e.line, column: e.column }, message: e.message });
  for (const w of file.parsed?.warnings ?? [])
    hits.push({ severity: 'warning', at: { line: w.line, column: w.column }, message: w.message });
  if (file.kind && file.structured && file.parsedOk && file.documentCount > 1) {
    hits.push({ severity: 'error', at: TOP, message: messages.severalDocuments(file.documentCount) });
  }
  return hits;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
function isValidUtf8(content: Buffer): boolean {
  try {
    strictUtf8.decode(content);
    return true;
  } catch {
    return false;
  }
}
