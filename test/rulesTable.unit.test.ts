import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/policy/rules.js';
import { RULES_TABLE_END, RULES_TABLE_START, rulesTable, withRulesTable } from '../src/policy/rulesTable.js';
import { PROJECT_ROOT } from './helpers/cli.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

describe("the README's Rules table", () => {
  it('is the one the rule registry makes (run `npm run docs:rules` after changing src/policy/rules.ts)', () => {
    expect(README).toContain(RULES_TABLE_START);
    expect(withRulesTable(README)).toBe(README);
  });

  it('has one row per rule of the registry, with its default level', () => {
    const rows = rulesTable().split('\n').slice(2);
    expect(rows).toHaveLength(RULES.length);
    for (const [i, rule] of RULES.entries()) expect(rows[i]).toMatch(new RegExp(`^\\| \`${rule.id}\` \\| ${rule.defaultLevel} \\| `));
    // A pipe in the text does not split the cell.
    expect(rulesTable()).toContain('environments.<draft\\|live>.credentials');
  });

  it('a README whose table is out of date is told apart, and one without markers is refused', () => {
    const stale = README.replace(/^\| `secrets` \| error \|/m, '| `secrets` | warning |');
    expect(stale).not.toBe(README);
    expect(withRulesTable(stale)).toBe(README);
    expect(withRulesTable(README.replace(RULES_TABLE_END, ''))).toBeUndefined();
  });
});
