import { RULES, type RuleStage } from './rules.js';

/**
 * The README's Rules table, derived from the rule registry: `npm run docs:rules` writes it between
 * the markers, and test/rulesTable.unit.test.ts fails when README and registry disagree.
 */
export const RULES_TABLE_START =
  '<!-- rules-table: generated from src/policy/rules.ts by `npm run docs:rules`; edit the registry, not this table -->';
export const RULES_TABLE_END = '<!-- /rules-table -->';

const STAGE_WORDS: Record<RuleStage, string> = {
  file: 'each file',
  repository: 'the whole snapshot',
  ref: 'branches, tags, merges',
  history: "commits' added lines",
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function rulesTable(): string {
  const rows = RULES.map(
    (r) => `| \`${r.id}\` | ${r.defaultLevel} | ${r.stages.map((s) => STAGE_WORDS[s]).join('; ')} | ${cell(r.enforces)} |`,
  );
  return ['| rule | default | judges | what it enforces |', '|------|---------|--------|------------------|', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the table; undefined when a marker is missing. */
export function withRulesTable(readme: string): string | undefined {
  const start = readme.indexOf(RULES_TABLE_START);
  const end = readme.indexOf(RULES_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + RULES_TABLE_START.length)}\n${rulesTable()}\n${readme.slice(end)}`;
}
