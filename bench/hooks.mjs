#!/usr/bin/env node
// What the hooks add to a `git commit` on a big repository: 10 staged modified files in the
// 10,000-file synthetic repository, `git commit` with wxo-policy's hooks against
// `git commit --no-verify` (the target's baseline) and against a commit with no hook at all,
// and — side by side — what a user would otherwise run on the same 10 files: secretlint alone,
// and lint-staged running secretlint.
//
//   node bench/hooks.mjs [--files 10000] [--runs 7] [--staged 10]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRepo } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');
const WORK = join(HERE, '.work');
const USAGE = 'usage: node bench/hooks.mjs [--files 10000] [--runs 7] [--staged 10]';
let values;
try {
  ({ values } = parseArgs({ options: { files: { type: 'string' }, runs: { type: 'string' }, staged: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = (name, dflt) => {
  const n = values[name] === undefined ? dflt : Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} wants a positive whole number\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const SIZE = count('files', 10000);
const RUNS = count('runs', 7);
const STAGED = count('staged', 10);

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
  NO_COLOR: '1',
};
delete env.CI;
delete env.HUSKY;

const source = join(WORK, `repo-${SIZE}`);
if (!existsSync(join(source, '.git'))) {
  console.log(`generating ${source} …`);
  generateRepo({ files: SIZE, out: source, seed: 1 });
}
const repo = join(WORK, `hooks-${SIZE}`);
rmSync(repo, { recursive: true, force: true });
execFileSync('git', ['clone', '-q', source, repo], { env });
const git = (...a) => execFileSync('git', a, { cwd: repo, env, encoding: 'utf8' });

// What `npm install` of the devDependencies would put there, as links to this project.
const nm = join(repo, 'node_modules');
mkdirSync(join(nm, '.bin'), { recursive: true });
symlinkSync(PROJECT, join(nm, 'wxo-policy'));
for (const dep of ['husky', 'lint-staged', 'secretlint', '@secretlint']) symlinkSync(join(PROJECT, 'node_modules', dep), join(nm, dep));
symlinkSync('../wxo-policy/bin/wxo-policy.js', join(nm, '.bin', 'wxo-policy'));
execFileSync(process.execPath, [join(PROJECT, 'bin', 'wxo-policy.js'), 'init'], { cwd: repo, env, stdio: 'ignore' });
git('switch', '-q', '-c', 'feature/bench');
git('add', '-A');
git('commit', '-q', '--no-verify', '-m', 'wxo-policy init');

// Files without planted secrets or decoys: a commit the hooks let through is what is timed.
const manifest = JSON.parse(readFileSync(`${source}.manifest.json`, 'utf8'));
const planted = new Set([...manifest.secrets, ...manifest.decoys].map((x) => x.file));
const candidates = git('ls-files', 'agents', 'tools').split('\n').filter((p) => /\.(ya?ml|py)$/.test(p) && !planted.has(p));
const pick = candidates.filter((_, i) => i % Math.floor(candidates.length / STAGED) === 0).slice(0, STAGED);
let counter = 0;
function stageChanges() {
  counter++;
  for (const p of pick) {
    const abs = join(repo, p);
    writeFileSync(abs, `${readFileSync(abs, 'utf8')}# bench edit ${counter}\n`);
  }
  git('add', ...pick);
}
const time = (argv, cwd = repo) => {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0 && argv[0] === 'git') throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The first commit builds the facts cache (what every later one reuses).
stageChanges();
const cold = time(['git', 'commit', '-q', '-m', 'first commit with hooks']);

const withHooks = [];
const noVerify = [];
const noHooks = [];
const secretlintAlone = [];
const lintStagedSecretlint = [];
const slrc = join(WORK, 'hooks-secretlintrc.json');
writeFileSync(slrc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
const lsrc = join(WORK, 'hooks-lintstagedrc.json');
writeFileSync(lsrc, JSON.stringify({ '*': `${process.execPath} ${join(PROJECT, 'node_modules/secretlint/bin/secretlint.js')} --secretlintrc ${slrc}` }));
for (let i = 0; i < RUNS; i++) {
  stageChanges();
  noVerify.push(time(['git', 'commit', '-q', '--no-verify', '-m', `plain ${i}`]));
  stageChanges();
  // --no-verify skips pre-commit but not post-commit: this is a commit with no hook at all.
  noHooks.push(time(['git', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `bare ${i}`]));
  stageChanges();
  secretlintAlone.push(time([process.execPath, join(PROJECT, 'node_modules/secretlint/bin/secretlint.js'), '--secretlintrc', slrc, ...pick]));
  lintStagedSecretlint.push(time([process.execPath, join(PROJECT, 'node_modules/lint-staged/bin/lint-staged.js'), '--config', lsrc, '--quiet']));
  withHooks.push(time(['git', 'commit', '-q', '-m', `hooked ${i}`]));
}

const base = median(noVerify);
const bare = median(noHooks);
const rows = [
  ['git commit, no hook at all', bare],
  ['git commit --no-verify (post-commit still runs)', base],
  ['git commit with wxo-policy hooks', median(withHooks)],
  [`secretlint alone on the ${STAGED} files`, median(secretlintAlone)],
  [`lint-staged running secretlint`, median(lintStagedSecretlint)],
];
console.log(`\n## Hooks on a ${SIZE}-file repository, ${STAGED} staged modified files (median of ${RUNS})\n`);
console.log('| what | median ms | added to a commit |');
console.log('|---|---|---|');
const addedTo = (label, ms) => (label.startsWith('git commit with') ? `+${(ms - base).toFixed(0)} ms over --no-verify, +${(ms - bare).toFixed(0)} ms over no hook` : label.startsWith('git commit --no-verify') ? `+${(ms - bare).toFixed(0)} ms over no hook` : '—');
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(0)} | ${addedTo(label, ms)} |`);
console.log(`\nfirst commit after install (builds the facts cache): ${cold.toFixed(0)} ms`);
const added = median(withHooks) - base;
console.log(`target: hooks add ≤ 400 ms over --no-verify → ${added.toFixed(0)} ms ${added <= 400 ? 'MET' : 'NOT MET'}; all hooks together (pre-commit and post-commit) add ${(median(withHooks) - bare).toFixed(0)} ms`);
console.log(`ratios vs the hooks' added time: secretlint alone ${(median(secretlintAlone) / added).toFixed(1)}×, lint-staged + secretlint ${(median(lintStagedSecretlint) / added).toFixed(1)}×`);
