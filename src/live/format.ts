import type { Palette } from '../report/colors.js';
import { sarifUri, xmlEscape } from '../report/machine.js';
import { kindWord } from '../kinds/catalogue.js';
import { messages } from '../messages.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { DriftItem } from './compare.js';
import type { DriftReport } from './drift.js';

/** Drift reports: text for people, JSON, JUnit XML (Jenkins `junit`) and SARIF (`recordIssues`). Pure. */

const label = (i: DriftItem) => messages.live.itemLabel(kindWord(i.kind), i.name, Boolean(i.tenantWide));

/** What to do about one item. */
function adviceFor(item: DriftItem, report: Pick<DriftReport, 'environment' | 'tag' | 'draftTag'>): string {
  const tag = report.draftTag?.name ?? report.tag?.name ?? '';
  const env = report.draftTag?.environment ?? report.environment;
  switch (item.state) {
    case 'missing':
    case 'changed':
      return messages.live.adviceRedeploy(env, tag, item.path);
    case 'unmanaged':
      return messages.live.adviceUnmanaged(kindWord(item.kind), item.name);
    case 'draft-differs':
      return messages.live.adviceDraftDiffers(report.environment);
  }
}

export function formatDriftText(report: DriftReport, c: Palette): string {
  const lines: string[] = [];
  const where = messages.live.where(report.environment, report.tenant, report.stage);
  lines.push(
    c.bold(report.tag ? messages.live.header(where, report.tag.name, report.tag.commit.slice(0, 12)) : messages.live.headerNoTag(where)),
  );
  for (const note of report.notes) lines.push(c.dim(`  ${note}`));
  if (report.verdict === 'unknown') {
    lines.push(c.red(`  ${messages.live.unknown(report.error ?? '')}`));
    return lines.join('\n');
  }
  const symbols: Record<string, string> = { missing: '-', unmanaged: '+', changed: '~', 'draft-differs': 'i' };
  for (const item of report.items) {
    const colour = item.state === 'draft-differs' ? c.dim : item.state === 'unmanaged' ? c.yellow : c.red;
    lines.push(
      colour(`  ${symbols[item.state]} ${item.state.toUpperCase().padEnd(13)} ${label(item)}${item.path ? c.dim(` — ${item.path}`) : ''}`),
    );
    for (const d of item.diffs)
      lines.push(`      ${messages.live.fieldDiff(d.field, d.expected, d.actual, { git: c.green, tenant: c.red })}`);
    lines.push(c.dim(`      → ${adviceFor(item, report)}`));
  }
  if (report.unchecked.length) lines.push(c.dim(`  ${messages.live.unchecked(report.unchecked.length)}`));
  const n = report.items.filter((i) => i.state !== 'draft-differs').length;
  lines.push(
    report.verdict === 'in-sync' ? c.green(messages.live.inSync(report.environment)) : c.red(messages.live.drifted(report.environment, n)),
  );
  return lines.join('\n');
}

export function formatDriftJson(report: DriftReport): string {
  return `${JSON.stringify({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, ...jsonReport(report) }, null, 2)}\n`;
}

const jsonReport = (report: DriftReport) => ({ ...report, items: report.items.map((i) => ({ ...i, advice: adviceFor(i, report) })) });

/** `drift --all`: the overall verdict (the worst) and every environment's report. */
export function formatDriftAllJson(reports: readonly DriftReport[]): string {
  const verdict = reports.some((r) => r.verdict === 'unknown')
    ? 'unknown'
    : reports.some((r) => r.verdict === 'drift')
      ? 'drift'
      : 'in-sync';
  return `${JSON.stringify({ tool: { name: TOOL_NAME, version: TOOL_VERSION }, verdict, environments: reports.map(jsonReport) }, null, 2)}\n`;
}

/** `drift --all` for people: each environment's report, then one line for all. */
export function formatDriftAllText(reports: readonly DriftReport[], c: Palette): string {
  const counts = {
    inSync: reports.filter((r) => r.verdict === 'in-sync').length,
    drift: reports.filter((r) => r.verdict === 'drift').length,
    unknown: reports.filter((r) => r.verdict === 'unknown').length,
  };
  const line = messages.live.allSummary(counts);
  return `${reports.map((r) => formatDriftText(r, c)).join('\n\n')}\n\n${counts.unknown ? c.red(line) : counts.drift ? c.red(line) : c.green(line)}`;
}

/** One test case per drifted resource (failure), draft-differs as skipped, "in sync" when clean, an error when unknown. */
export function formatDriftJunit(report: DriftReport): string {
  const s = junitSuite(report);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(s.name)}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}">\n${s.xml}\n</testsuites>\n`;
}

/** `drift --all`: one test suite per environment. */
export function formatDriftAllJunit(reports: readonly DriftReport[]): string {
  const suites = reports.map(junitSuite);
  const sum = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wxo-policy drift --all" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}

function junitSuite(report: DriftReport): { name: string; xml: string; tests: number; failures: number; errors: number } {
  const suite = `wxo-policy drift ${report.environment}`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  if (report.verdict === 'unknown') {
    errors++;
    cases.push(
      `    <testcase classname="wxo-policy.drift.${xmlEscape(report.environment)}" name="tenant ${xmlEscape(report.tenant)}"><error message="${xmlEscape(messages.live.unknown(report.error ?? ''))}"/></testcase>`,
    );
  }
  for (const item of report.items) {
    const body = [
      ...item.diffs.map((d) => messages.live.fieldDiffPlain(d.field, d.expected, d.actual)),
      messages.live.fix(adviceFor(item, report)),
    ].join('\n');
    const name = `${item.state} ${label(item)}`;
    if (item.state === 'draft-differs') {
      skipped++;
      cases.push(
        `    <testcase classname="wxo-policy.drift.${xmlEscape(report.environment)}" name="${xmlEscape(name)}"><skipped message="${xmlEscape(adviceFor(item, report))}"/></testcase>`,
      );
      continue;
    }
    failures++;
    cases.push(
      `    <testcase classname="wxo-policy.drift.${xmlEscape(report.environment)}" name="${xmlEscape(name)}"><failure message="${xmlEscape(`${item.state}: ${label(item)}`)}" type="${item.state}">${xmlEscape(body)}</failure></testcase>`,
    );
  }
  if (report.verdict === 'in-sync')
    cases.push(
      `    <testcase classname="wxo-policy.drift.${xmlEscape(report.environment)}" name="${xmlEscape(messages.live.inSyncWith(report.tag?.name ?? ''))}"/>`,
    );
  const tests = cases.length;
  return {
    name: suite,
    tests,
    failures,
    errors,
    xml: `  <testsuite name="${xmlEscape(suite)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${xmlEscape(report.checkedAt)}">\n${cases.join('\n')}\n  </testsuite>`,
  };
}

const SARIF_RULES = [
  { id: 'drift-missing', text: 'A resource of the deploy tag is missing in the tenant' },
  { id: 'drift-unmanaged', text: 'The tenant holds a resource Git does not define' },
  { id: 'drift-changed', text: 'A resource in the tenant differs from the deploy tag' },
  { id: 'drift-draft-differs', text: "The tenant's draft holds another version of an agent than the one deployed to live" },
  { id: 'drift-unknown', text: 'The tenant could not be read' },
];

export function formatDriftSarif(report: DriftReport): string {
  return `${JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [sarifRun(report)] }, null, 2)}\n`;
}

/** `drift --all`: one SARIF run per environment. */
export function formatDriftAllSarif(reports: readonly DriftReport[]): string {
  return `${JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: reports.map(sarifRun) }, null, 2)}\n`;
}

function sarifRun(report: DriftReport): Record<string, unknown> {
  const results: Record<string, unknown>[] = report.items.map((item) => {
    const ruleId = `drift-${item.state}`;
    const result: Record<string, unknown> = {
      ruleId,
      ruleIndex: SARIF_RULES.findIndex((r) => r.id === ruleId),
      level: item.state === 'draft-differs' ? 'note' : item.state === 'unmanaged' ? 'warning' : 'error',
      message: {
        text: [
          `${report.environment}: ${item.state} ${label(item)}`,
          ...item.diffs.map((d) => messages.live.fieldDiffPlain(d.field, d.expected, d.actual)),
          messages.live.fix(adviceFor(item, report)),
        ].join('\n'),
      },
      partialFingerprints: { 'driftItem/v1': `${report.environment}/${item.kind}/${item.name}/${item.state}` },
    };
    if (item.path)
      result.locations = [
        { physicalLocation: { artifactLocation: { uri: sarifUri(item.path), uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } },
      ];
    return result;
  });
  if (report.verdict === 'unknown')
    results.push({
      ruleId: 'drift-unknown',
      ruleIndex: SARIF_RULES.length - 1,
      level: 'error',
      message: { text: `${report.environment}: ${messages.live.unknown(report.error ?? '')}` },
    });
  return {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: TOOL_VERSION,
        informationUri: 'https://github.com/wxo-policy/wxo-policy',
        rules: SARIF_RULES.map((r) => ({ id: r.id, shortDescription: { text: r.text } })),
      },
    },
    automationDetails: { id: `wxo-policy/drift/${report.environment}` },
    originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root' } } },
    results,
  };
}
