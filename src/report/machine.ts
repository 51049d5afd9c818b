import type { Finding } from '../checks/types.js';
import { RULE_IDS } from '../policy/model.js';
import { FINDING_RULES } from '../policy/rules.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Summary } from './summary.js';
import { printablePath, printableText } from './text.js';

/** Reports for machines: JSON (our own), JUnit XML (Jenkins `junit`), SARIF 2.1.0 (`recordIssues`). */

export interface ReportMeta {
  /** What was checked, e.g. "staged", "all at HEAD", "range a..b". */
  scope: string;
  details?: Record<string, string>;
}

export function formatJson(findings: readonly Finding[], summary: Summary, meta: ReportMeta): string {
  return (
    JSON.stringify(
      {
        tool: { name: TOOL_NAME, version: TOOL_VERSION },
        scope: meta.scope,
        ...(meta.details ? { details: meta.details } : {}),
        summary,
        findings,
      },
      null,
      2,
    ) + '\n'
  );
}

/** Text for XML attributes and content (control characters written as \\uXXXX: XML 1.0 cannot carry them). */
export const xmlEscape = (s: string) =>
  s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const location = (f: Finding) =>
  f.file ? `${printablePath(f.file)}:${f.line ?? 1}:${f.column ?? 1}` : f.ref ? `[${f.ref}]` : '(repository)';

/**
 * One test suite per rule; a failing test case per file with errors of that rule (all its
 * findings in the failure text), and a passing "no findings" case for clean rules so that the
 * report is never empty. Warnings do not fail tests; they appear in system-out.
 */
export function formatJunit(findings: readonly Finding[], meta: ReportMeta): string {
  const active = findings.filter((f) => !f.suppressed);
  const rules = [...new Set([...RULE_IDS, ...active.map((f) => f.rule)])];
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const rule of rules) {
    const ofRule = active.filter((f) => f.rule === rule);
    const byFile = new Map<string, Finding[]>();
    for (const f of ofRule) {
      const name = f.file !== undefined ? printablePath(f.file) : f.ref ? `[${printableText(f.ref)}]` : '(repository)';
      byFile.set(name, [...(byFile.get(name) ?? []), f]);
    }
    const cases: string[] = [];
    let failures = 0;
    for (const [file, list] of byFile) {
      const errors = list.filter((f) => f.severity === 'error');
      const warnings = list.filter((f) => f.severity === 'warning');
      const body = (fs: Finding[]) =>
        fs.map((f) => `${location(f)} ${printableText(f.message)}${f.hint ? `\nfix: ${f.hint}` : ''}`).join('\n');
      let inner = '';
      if (errors.length) {
        failures++;
        inner += `<failure message="${xmlEscape(`${errors.length} error(s): ${printableText(errors[0]!.message)}`)}" type="${xmlEscape(rule)}">${xmlEscape(body(errors))}</failure>`;
      }
      if (warnings.length) inner += `<system-out>${xmlEscape(body(warnings))}</system-out>`;
      cases.push(`    <testcase classname="wxo-policy.${xmlEscape(rule)}" name="${xmlEscape(file)}">${inner}</testcase>`);
    }
    if (cases.length === 0) cases.push(`    <testcase classname="wxo-policy.${xmlEscape(rule)}" name="no findings"/>`);
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(
      `  <testsuite name="wxo-policy ${xmlEscape(rule)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wxo-policy check (${xmlEscape(meta.scope)})" tests="${totalTests}" failures="${totalFailures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** SARIF wants URIs: encode each path segment (spaces, unicode, '#', '%'). */
export function sarifUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(findings: readonly Finding[], meta: ReportMeta): string {
  const ruleIds = FINDING_RULES.map((r) => r.id);
  const results = findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: ruleIds.indexOf(f.rule),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: {
        text: `${f.ref ? `[${f.ref}] ` : ''}${f.message}${f.commit ? ` (commit ${f.commit})` : ''}${f.hint ? `\nfix: ${f.hint}` : ''}`,
      },
    };
    if (f.file) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(f.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line ?? 1, startColumn: f.column ?? 1 },
          },
        },
      ];
    }
    if (f.hash) result.partialFingerprints = { 'matchedValueHash/v1': f.hash };
    if (f.suppressed)
      result.suppressions = [{ kind: f.suppressed.startsWith('inline') ? 'inSource' : 'external', justification: f.suppressed }];
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            informationUri: 'https://github.com/wxo-policy/wxo-policy',
            rules: FINDING_RULES.map((r) => ({ id: r.id, shortDescription: { text: r.description }, help: { text: r.hint } })),
          },
        },
        automationDetails: { id: `wxo-policy/${meta.scope}` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root' } } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
