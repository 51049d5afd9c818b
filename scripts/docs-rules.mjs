// `npm run docs:rules`: writes the README's Rules table from the rule registry (src/policy/rules.ts,
// built into dist/). test/rulesTable.unit.test.ts fails when the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { withRulesTable } from '../dist/policy/rulesTable.js';

const README = new URL('../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');
const updated = withRulesTable(readme);
if (updated === undefined) {
  console.error('README.md has no rules-table markers (see src/policy/rulesTable.ts)');
  process.exit(2);
}
if (updated !== readme) writeFileSync(README, updated);
console.log(updated === readme ? 'README.md rules table is up to date' : 'README.md rules table written');
