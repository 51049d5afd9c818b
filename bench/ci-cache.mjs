#!/usr/bin/env node
// The incremental CI result cache (`check --cache-dir`) as Jenkins uses it: every build is a fresh
// clone; the cache directory is the job's, outside the workspace.
//
//   node bench/ci-cache.mjs [--files 10000] [--profile adk] [--runs 5] [--changed 10]
//
// 1. a branch build of develop fills the cache (`check --all --cache-dir`);
// 2. per run, in a fresh clone: `check --all` of develop with the warm cache, and a pull-request
//    build of a feature branch with `--changed` modified files (`check --range origin/develop..HEAD`)
//    with the warm cache and without any cache — the clone's git dir is new, so without
//    --cache-dir the facts of every other file are computed again.
// Times are medians (with the spread); `git clone` is timed too: "git's own work".

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROFILE_NAMES, generateRepo } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');
const WORK = join(HERE, '.work');
const WXO = join(PROJECT, 'bin', 'wxo-policy.js');
const USAGE = `usage: node bench/ci-cache.mjs [--files 10000] [--profile ${PROFILE_NAMES.join('|')}] [--runs 5] [--changed 10]`;
let values;
try {
  ({ values } = parseArgs({
    options: {
      files: { type: 'string' },
      profile: { type: 'string' },
      runs: { type: 'string' },
      changed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (v, d) => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(USAGE);
    process.exit(2);
  }
  return n;
};
const SIZE = int(values.files, 10000);
const RUNS = int(values.runs, 5);
const CHANGED = int(values.changed, 10);
const PROFILE = values.profile ?? 'adk';
if (!PROFILE_NAMES.includes(PROFILE)) {
  console.error(USAGE);
  process.exit(2);
}

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
  NO_COLOR: '1',
};
for (const k of ['CI', 'JENKINS_URL', 'BUILD_ID', 'BRANCH_NAME', 'CHANGE_ID']) delete env[k];
const name = `${PROFILE === 'default' ? 'repo' : PROFILE}-${SIZE}`;
const source = join(WORK, name);
if (!existsSync(join(source, '.git'))) generateRepo({ files: SIZE, out: source, seed: 1, profile: PROFILE, force: true });

const remote = join(WORK, `ci-${name}-remote.git`);
const cache = join(WORK, `ci-${name}-cache`);
const clone = join(WORK, `ci-${name}-clone`);
for (const d of [remote, cache, clone]) rmSync(d, { recursive: true, force: true });
execFileSync('git', ['clone', '-q', '--bare', source, remote], { env });

// The pull request: CHANGED modified files on a feature branch.
const setup = join(WORK, `ci-${name}-setup`);
rmSync(setup, { recursive: true, force: true });
execFileSync('git', ['clone', '-q', remote, setup], { env });
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
git(setup, 'switch', '-q', '-c', 'feature/ci-bench');
const files = git(setup, 'ls-files', 'agents', 'tools')
  .split('\n')
  .filter((p) => /\.(ya?ml|py)$/.test(p));
const manifest = JSON.parse(readFileSync(`${source}.manifest.json`, 'utf8'));
const planted = new Set([...manifest.secrets, ...manifest.decoys].map((x) => x.file));
const pick = files
  .filter((p) => !planted.has(p))
  .filter((_, i, a) => i % Math.floor(a.length / CHANGED) === 0)
  .slice(0, CHANGED);
for (const p of pick) writeFileSync(join(setup, p), `${readFileSync(join(setup, p), 'utf8')}# pull request edit\n`);
git(setup, 'add', '-A');
git(setup, 'commit', '-q', '--no-verify', '-m', 'pull request');
git(setup, 'push', '-q', 'origin', 'feature/ci-bench');
rmSync(setup, { recursive: true, force: true });

const time = (argv, cwd) => {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: String(r.stderr) };
};
const freshClone = (branch) => {
  rmSync(clone, { recursive: true, force: true });
  return time(['git', 'clone', '-q', '--branch', branch, remote, clone], WORK).ms;
};

// The branch build that fills the cache.
freshClone('develop');
const fill = time([process.execPath, WXO, 'check', '--all', '--format', 'json', '--cache-dir', cache], clone);

const rows = { clone: [], allWarm: [], prWarm: [], prCold: [] };
const notes = new Set();
for (let i = 0; i < RUNS; i++) {
  rows.clone.push(freshClone('develop'));
  const all = time([process.execPath, WXO, 'check', '--all', '--format', 'json', '--cache-dir', cache], clone);
  rows.allWarm.push(all.ms);
  notes.add(
    all.stderr
      .trim()
      .split('\n')
      .find((l) => l.includes('result cache')) ?? '',
  );
  freshClone('feature/ci-bench');
  rows.prWarm.push(
    time([process.execPath, WXO, 'check', '--range', 'origin/develop..HEAD', '--format', 'json', '--cache-dir', cache], clone).ms,
  );
  freshClone('feature/ci-bench');
  rows.prCold.push(time([process.execPath, WXO, 'check', '--range', 'origin/develop..HEAD', '--format', 'json'], clone).ms);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (xs) => `${(med(xs) / 1000).toFixed(2)} [${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)}]`;
console.log(
  `\n## CI result cache on a ${SIZE}-file repository (profile ${PROFILE}), fresh clone per build, median [min–max] of ${RUNS}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]} on ${availableParallelism()} cores\n`,
);
console.log('| build | seconds |');
console.log('|---|---|');
console.log(`| git clone (git's own work) | ${fmt(rows.clone)} |`);
console.log(`| branch build, empty cache (fills it) | ${(fill.ms / 1000).toFixed(2)} |`);
console.log(`| branch build \`check --all\`, warm cache | ${fmt(rows.allWarm)} |`);
console.log(`| pull request, ${CHANGED} changed files, warm cache | ${fmt(rows.prWarm)} |`);
console.log(`| pull request, ${CHANGED} changed files, no cache | ${fmt(rows.prCold)} |`);
for (const n of notes) if (n) console.log(`\n${n}`);
console.log(
  `\ntarget: check --all with a warm cache ≤ 1 s → ${(med(rows.allWarm) / 1000).toFixed(2)} s ${med(rows.allWarm) <= 1000 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `target: pull request with ${CHANGED} changed files ≤ 0.5 s → ${(med(rows.prWarm) / 1000).toFixed(2)} s ${med(rows.prWarm) <= 500 ? 'MET' : 'NOT MET'}`,
);
for (const d of [clone, remote]) rmSync(d, { recursive: true, force: true });
