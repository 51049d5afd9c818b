#!/usr/bin/env node
// What the hooks add to a `git commit` on a big repository: 10 staged modified files in the
// 10,000-file synthetic repository, `git commit` with wxo-policy's hooks against
// `git commit --no-verify` (the target's baseline) and against a commit with no hook at all,
// and — side by side — what a user would otherwise run on the same 10 files: secretlint alone,
// and lint-staged running secretlint.
//
//   node bench/hooks.mjs [--files 10000] [--runs 7] [--staged 10] [--first 3] [--profile adk]
//
// The staged files are the mix where the profile has them: 4 agents, 3 Python tools, a
// flow, a per-environment overlay and a knowledge-base spec. It also times `git push` of one
// commit to a local bare remote, with the pre-push hook and with --no-verify; `wxo-policy check
// PATH` of one of the staged agents against `node -e 0`; and the first commit in --first fresh
// clones (no facts cache yet; one commit per clone).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { PROFILE_NAMES, generateRepo } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');
const WORK = join(HERE, '.work');
const USAGE = `usage: node bench/hooks.mjs [--files 10000] [--runs 7] [--staged 10] [--first 3] [--profile ${PROFILE_NAMES.join('|')}]`;
let values;
try {
  ({ values } = parseArgs({
    options: {
      files: { type: 'string' },
      runs: { type: 'string' },
      staged: { type: 'string' },
      first: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
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
const FIRSTS = count('first', 3);
const PROFILE = values.profile ?? 'default';
if (!PROFILE_NAMES.includes(PROFILE)) {
  console.error(`--profile: one of ${PROFILE_NAMES.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const NAME = `${PROFILE === 'default' ? 'repo' : PROFILE}-${SIZE}`;

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

const source = join(WORK, NAME);
if (!existsSync(join(source, '.git'))) {
  console.log(`generating ${source} …`);
  generateRepo({ files: SIZE, out: source, seed: 1, profile: PROFILE, force: true });
}
const repo = join(WORK, `hooks-${NAME}`);
const remote = join(WORK, `hooks-${NAME}-remote.git`);
const CLI = join(PROJECT, 'bin', 'wxo-policy.js');
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const loadAtStart = loadAverage();
rmSync(remote, { recursive: true, force: true });
execFileSync('git', ['clone', '-q', '--bare', source, remote], { env });

/** A fresh clone of the remote with wxo-policy installed and initialised, on a feature branch. */
function freshClone(dir) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', remote, dir], { env });
  // What `npm install` of the devDependencies would put there, as links to this project.
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, '.bin'), { recursive: true });
  symlinkSync(PROJECT, join(nm, 'wxo-policy'));
  for (const dep of ['husky', 'lint-staged', 'secretlint', '@secretlint']) symlinkSync(join(PROJECT, 'node_modules', dep), join(nm, dep));
  symlinkSync('../wxo-policy/bin/wxo-policy.js', join(nm, '.bin', 'wxo-policy'));
  execFileSync(process.execPath, [CLI, 'init'], { cwd: dir, env, stdio: 'ignore' });
  const git = (...a) => execFileSync('git', a, { cwd: dir, env, encoding: 'utf8' });
  git('switch', '-q', '-c', 'feature/bench');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'wxo-policy init');
}
freshClone(repo);
const git = (...a) => execFileSync('git', a, { cwd: repo, env, encoding: 'utf8' });

// Files without planted secrets or decoys: a commit the hooks let through is what is timed.
const manifest = JSON.parse(readFileSync(`${source}.manifest.json`, 'utf8'));
const planted = new Set([...manifest.secrets, ...manifest.decoys].map((x) => x.file));
const listed = (...dirs) =>
  git('ls-files', ...dirs)
    .split('\n')
    .filter((p) => p && !planted.has(p));
const spread = (list, n) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);
const mix = [
  ...spread(listed('agents'), 4),
  ...spread(
    listed('tools').filter((p) => /\.py$/.test(p) && !/\/test_[^/]*$/.test(p)),
    3,
  ),
  ...spread(listed('flows'), 1),
  ...spread(listed('environments'), 1),
  ...spread(
    listed('knowledge_bases').filter((p) => /\.ya?ml$/.test(p)),
    1,
  ),
];
const fill = listed('agents', 'tools').filter((p) => /\.(ya?ml|py)$/.test(p) && !mix.includes(p));
const pick = [...mix, ...spread(fill, Math.max(0, STAGED - mix.length))].slice(0, STAGED);
const edit = (p, n) => (p.endsWith('.json') ? null : `# bench edit ${n}\n`);
let counter = 0;
function stageChanges(dir = repo) {
  counter++;
  for (const p of pick) {
    const abs = join(dir, p);
    const text = readFileSync(abs, 'utf8');
    // JSON has no comments: a flow gets a changed description instead.
    const json = p.endsWith('.json')
      ? JSON.stringify({ ...JSON.parse(text), description: `bench edit ${counter}` }, null, 2) + '\n'
      : undefined;
    writeFileSync(abs, json ?? `${text}${edit(p, counter)}`);
  }
  execFileSync('git', ['add', ...pick], { cwd: dir, env });
}
const time = (argv, cwd = repo) => {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0 && argv[0] === 'git') throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const minMax = (xs) => `[${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;

// The first commit finds its context by searching the repository and starts the background
// warm-up of the facts cache (every later commit takes its context from it). The timed commits
// start once the warm-up is done: they measure the steady state; the warm-up's time is printed.
async function firstCommit(dir) {
  stageChanges(dir);
  const ms = time(['git', 'commit', '-q', '-m', 'first commit with hooks'], dir);
  const warmLock = join(dir, '.git', 'wxo-policy', 'warm.lock');
  const warmStart = performance.now();
  while (existsSync(warmLock) && performance.now() - warmStart < 120_000) await new Promise((r) => setTimeout(r, 50));
  return { ms, warmup: performance.now() - warmStart };
}
const { ms: cold, warmup } = await firstCommit(repo);
const firsts = [cold];
// The first commit is one commit per clone: more fresh clones for its median (each removed after).
for (let i = 1; i < FIRSTS; i++) {
  const other = join(WORK, `hooks-${NAME}-first`);
  freshClone(other);
  firsts.push((await firstCommit(other)).ms);
  rmSync(other, { recursive: true, force: true });
}
git('push', '-q', '--no-verify', '-u', 'origin', 'feature/bench');

const withHooks = [];
const noVerify = [];
const noHooks = [];
const secretlintAlone = [];
const lintStagedSecretlint = [];
const pushNoVerify = [];
const pushHooked = [];
const nodeAlone = [];
const checkPath = [];
const judged = pick.find((p) => p.startsWith('agents/')) ?? pick[0];
const slrc = join(WORK, 'hooks-secretlintrc.json');
writeFileSync(slrc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
const lsrc = join(WORK, 'hooks-lintstagedrc.json');
writeFileSync(
  lsrc,
  JSON.stringify({ '*': `${process.execPath} ${join(PROJECT, 'node_modules/secretlint/bin/secretlint.js')} --secretlintrc ${slrc}` }),
);
for (let i = 0; i < RUNS; i++) {
  stageChanges();
  noVerify.push(time(['git', 'commit', '-q', '--no-verify', '-m', `plain ${i}`]));
  stageChanges();
  // --no-verify skips pre-commit but not post-commit: this is a commit with no hook at all.
  noHooks.push(time(['git', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `bare ${i}`]));
  stageChanges();
  secretlintAlone.push(
    time([process.execPath, join(PROJECT, 'node_modules/secretlint/bin/secretlint.js'), '--secretlintrc', slrc, ...pick]),
  );
  lintStagedSecretlint.push(
    time([process.execPath, join(PROJECT, 'node_modules/lint-staged/bin/lint-staged.js'), '--config', lsrc, '--quiet']),
  );
  withHooks.push(time(['git', 'commit', '-q', '-m', `hooked ${i}`]));
  // Each push sends the one commit made since the last push (the commits above go first, unmeasured).
  git('push', '-q', '--no-verify', 'origin', 'feature/bench');
  stageChanges();
  git('commit', '-q', '--no-verify', '-m', `to push ${i}a`);
  pushNoVerify.push(time(['git', 'push', '-q', '--no-verify', 'origin', 'feature/bench']));
  stageChanges();
  git('commit', '-q', '--no-verify', '-m', `to push ${i}b`);
  pushHooked.push(time(['git', 'push', '-q', 'origin', 'feature/bench']));
  // `check PATH` of one file (warm facts cache), next to node's own start-up.
  nodeAlone.push(time([process.execPath, '-e', '0']));
  checkPath.push(time([process.execPath, CLI, 'check', judged]));
}

const base = median(noVerify);
const bare = median(noHooks);
const rows = [
  ['git commit, no hook at all', noHooks],
  ['git commit --no-verify (post-commit still runs)', noVerify],
  ['git commit with wxo-policy hooks', withHooks],
  [`secretlint alone on the ${STAGED} files`, secretlintAlone],
  [`lint-staged running secretlint`, lintStagedSecretlint],
];
console.log(
  `\n## Hooks on a ${SIZE}-file repository (profile ${PROFILE}), ${STAGED} staged modified files (median of ${RUNS} [min–max]; load average ${loadAtStart} at the start, ${loadAverage()} at the end, on ${availableParallelism()} cores)\n`,
);
console.log(`staged: ${pick.join(', ')}\n`);
console.log('| what | median ms [min–max] | added to a commit |');
console.log('|---|---|---|');
const addedTo = (label, ms) =>
  label.startsWith('git commit with')
    ? `+${(ms - base).toFixed(0)} ms over --no-verify, +${(ms - bare).toFixed(0)} ms over no hook`
    : label.startsWith('git commit --no-verify')
      ? `+${(ms - bare).toFixed(0)} ms over no hook`
      : '—';
for (const [label, xs] of rows) console.log(`| ${label} | ${median(xs).toFixed(0)} ${minMax(xs)} | ${addedTo(label, median(xs))} |`);
const pushAdded = median(pushHooked) - median(pushNoVerify);
console.log(`| git push of 1 commit --no-verify | ${median(pushNoVerify).toFixed(0)} ${minMax(pushNoVerify)} | — |`);
console.log(
  `| git push of 1 commit with the pre-push hook | ${median(pushHooked).toFixed(0)} ${minMax(pushHooked)} | +${pushAdded.toFixed(0)} ms over --no-verify |`,
);
console.log(`| node -e 0 | ${median(nodeAlone).toFixed(0)} ${minMax(nodeAlone)} | — |`);
console.log(`| wxo-policy check ${judged} (warm facts cache) | ${median(checkPath).toFixed(0)} ${minMax(checkPath)} | — |`);
const first = median(firsts);
console.log(
  `\nfirst commit in a fresh clone (empty facts cache), ${firsts.length} clone(s): median ${first.toFixed(0)} ms ${minMax(firsts)} (${firsts.map((x) => x.toFixed(0)).join(', ')}), +${(first - bare).toFixed(0)} ms over a commit with no hook; the background warm-up of the facts cache the first one started ran ${(warmup / 1000).toFixed(1)} s more`,
);
const added = median(withHooks) - bare;
console.log(
  `target: the hooks (pre-commit and post-commit) add ≤ 250 ms to a commit → ${added.toFixed(0)} ms ${added <= 250 ? 'MET' : 'NOT MET'} (${(median(withHooks) - base).toFixed(0)} ms over --no-verify)`,
);
console.log(
  `target: the first commit in a fresh clone ≤ 1 s → median ${(first / 1000).toFixed(2)} s ${first <= 1000 ? 'MET' : 'NOT MET'} (slowest ${(Math.max(...firsts) / 1000).toFixed(2)} s)`,
);
console.log(`target: git push of 1 commit ≤ 300 ms added → ${pushAdded.toFixed(0)} ms ${pushAdded <= 300 ? 'MET' : 'NOT MET'}`);
const checkMs = median(checkPath);
console.log(
  `target: check PATH of one small file ≤ 250 ms → ${checkMs.toFixed(0)} ms ${checkMs <= 250 ? 'MET' : 'NOT MET'} (node -e 0: ${median(nodeAlone).toFixed(0)} ms)`,
);
console.log(
  `ratios vs the hooks' added time: secretlint alone ${(median(secretlintAlone) / added).toFixed(1)}×, lint-staged + secretlint ${(median(lintStagedSecretlint) / added).toFixed(1)}×`,
);
