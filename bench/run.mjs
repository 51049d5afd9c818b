#!/usr/bin/env node
// Side-by-side benchmark: wxo-policy check --all vs secretlint (with and without its profiler)
// vs yamllint, on synthetic wxO GitOps repositories of several sizes.
//
//   node bench/run.mjs [--sizes 100,1000,10000] [--runs 3] [--seed 1] [--json FILE]
//                      [--tools id,id] [--timeout 120] [--single-run-above 20] [--regenerate]
//
// Adding a scenario: append a definition to TOOLS (id, label, command(ctx), optional parse,
// prepare/cleanup, okExit). measure() runs any command and returns wall/CPU/peak RSS/exit.

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, PROFILE_NAMES, generateRepo } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');
const WORK = join(HERE, '.work');
const SECRETLINT_BIN = join(PROJECT, 'node_modules/secretlint/bin/secretlint.js');
const WXO_BIN = join(PROJECT, 'bin/wxo-policy.js');
const NO_PROFILER = join(HERE, 'no-profiler.mjs');
const ANCHOR = 'secretlint-noprof';

// ---- options -------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    sizes: [100, 1000, 10000],
    profiles: ['default', 'adk'],
    runs: 5,
    seed: 1,
    json: undefined,
    tools: undefined,
    timeout: 120,
    singleRunAbove: 20,
    regenerate: false,
    keepAbove: 10000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sizes')
      o.sizes = val()
        .split(',')
        .map((s) => Number(s.trim()));
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--profiles')
      o.profiles = val()
        .split(',')
        .map((s) => s.trim());
    else if (a === '--keep-above') o.keepAbove = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--json') o.json = val();
    else if (a === '--tools')
      o.tools = val()
        .split(',')
        .map((s) => s.trim());
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--single-run-above') o.singleRunAbove = Number(val());
    else if (a === '--regenerate') o.regenerate = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.sizes.some((s) => !Number.isInteger(s) || s < 60)) throw new Error('--sizes: integers ≥ 60');
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs: an integer ≥ 1');
  const unknown = o.profiles.filter((p) => !PROFILE_NAMES.includes(p));
  if (unknown.length) throw new Error(`--profiles: unknown ${unknown.join(', ')} (profiles: ${PROFILE_NAMES.join(', ')})`);
  return o;
}

// ---- measuring one command -----------------------------------------------------------------------

/**
 * Runs argv in cwd with stdout/stderr redirected to files and returns wall time, CPU time
 * (user+sys of the child and all its descendants), peak RSS (largest ru_maxrss among them) and
 * the exit code. Uses a python3 wrapper (resource.getrusage(RUSAGE_CHILDREN)); falls back to
 * /usr/bin/time.
 */
const PY_WRAPPER = `
import json, resource, subprocess, sys, time
spec = json.load(sys.stdin)
with open(spec["stdout"], "wb") as out, open(spec["stderr"], "wb") as err:
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(spec["argv"], cwd=spec["cwd"], env=spec["env"], stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        code = p.wait(timeout=spec["timeout"] or None)
        timed_out = False
    except subprocess.TimeoutExpired:
        import os, signal
        os.killpg(p.pid, signal.SIGKILL)
        code = p.wait()
        timed_out = True
    wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "exit": code, "timedOut": timed_out}))
`;

let measurer;
function pickMeasurer() {
  if (measurer) return measurer;
  const py = spawnSync('python3', ['-c', 'import sys, resource; print(sys.executable)'], { encoding: 'utf8' });
  if (py.status === 0 && py.stdout.trim()) measurer = { kind: 'python3', python: py.stdout.trim() };
  else if (existsSync('/usr/bin/time')) measurer = { kind: 'time' };
  else throw new Error('need python3 or /usr/bin/time to measure CPU time and peak RSS');
  return measurer;
}

export function measure({ argv, cwd, env = process.env, stdout, stderr, timeout = 0 }) {
  const m = pickMeasurer();
  if (m.kind === 'python3') {
    const r = spawnSync(m.python, ['-c', PY_WRAPPER], {
      input: JSON.stringify({ argv, cwd, env, stdout, stderr, timeout }),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`measure wrapper failed: ${r.stderr}`);
    const x = JSON.parse(r.stdout);
    return { wall: x.wall, cpu: x.user + x.sys, user: x.user, sys: x.sys, peakMB: x.maxrss_kb / 1024, exit: x.exit, timedOut: x.timedOut };
  }
  // /usr/bin/time fallback: 10 ms resolution, no timeout.
  const fmt = join(WORK, 'time.out');
  const args = ['-o', fmt, '-f', '%e %U %S %M %x', ...argv];
  const r = spawnSync('/usr/bin/time', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  writeFileSync(stdout, r.stdout ?? '');
  writeFileSync(stderr, r.stderr ?? '');
  const [wall, user, sys, rss, exit] = readFileSync(fmt, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, user, sys, peakMB: rss / 1024, exit, timedOut: false };
}

// ---- tools ---------------------------------------------------------------------------------------

/** Repo-relative POSIX path of a file reported by a tool. */
const rel = (ctx, p) => {
  const abs = resolve(ctx.repo, p);
  return relative(ctx.repo, abs).split(sep).join('/');
};

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const FLOOR_SCRIPT = `
const fs = require('fs'), path = require('path');
let files = 0, bytes = 0;
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else { bytes += fs.readFileSync(p).length; files++; }
  }
})('.');
console.log(JSON.stringify({ files, bytes }));
`;

function secretlintRc(ctx) {
  const rc = join(ctx.outDir, 'secretlintrc.json'); // outside the repository
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }) + '\n');
  return rc;
}

function parseSecretlint(ctx, stdoutPath) {
  const results = readJson(stdoutPath);
  return results.flatMap((r) =>
    r.messages.map((m) => ({ file: rel(ctx, r.filePath), line: m.loc?.start?.line ?? 0, rule: m.ruleId, secret: true })),
  );
}

const hasCommand = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

/**
 * Tool definitions.
 *  id, label        identification (id is used in --tools and the JSON)
 *  available()      true, or a string: why it is skipped
 *  command(ctx)     { argv, cwd, env? } — ctx: { size, repo, manifest, outDir, runIndex }
 *  parse(ctx, out)  findings [{ file, line, rule, secret }] from the stdout file (optional)
 *  scoresSecrets    whether recall / decoy columns apply
 *  okExit           exit codes that mean "ran normally"
 *  prepare/cleanup  optional, run (unmeasured) before/after every measured run
 *  afterRun(ctx)    optional check after the first run: { ok, message } (not ok → a note)
 */
export const TOOLS = [
  {
    id: 'floor',
    label: 'floor: read all files (node)',
    available: () => true,
    command: (ctx) => ({ argv: [process.execPath, '-e', FLOOR_SCRIPT], cwd: ctx.repo }),
    scoresSecrets: false,
    okExit: [0],
  },
  {
    id: 'wxo-policy',
    label: 'wxo-policy check --all',
    available: () => (existsSync(join(PROJECT, 'dist/cli/main.js')) ? true : 'dist/ missing (run npm run build)'),
    command: (ctx) => ({ argv: [process.execPath, WXO_BIN, 'check', '--all', '--format', 'json'], cwd: ctx.repo }),
    parse: (ctx, out) =>
      readJson(out)
        .findings.filter((f) => f.file)
        .map((f) => ({
          file: f.file,
          line: f.line ?? 0,
          rule: f.rule,
          secret: f.rule === 'secrets' || (f.rule === 'connection-template' && Boolean(f.hash)),
        })),
    scoresSecrets: true,
    okExit: [0, 1],
  },
  {
    // The incremental CI result cache: a second build of the same commit (every file's blob is in
    // the cache, warmed by one unmeasured run before the first measured one).
    id: 'wxo-policy-cached',
    label: 'wxo-policy check --all --cache-dir (warm)',
    available: () => (existsSync(join(PROJECT, 'dist/cli/main.js')) ? true : 'dist/ missing (run npm run build)'),
    prepare: (ctx) => {
      if (ctx.runIndex === 0) {
        rmSync(join(ctx.outDir, 'result-cache'), { recursive: true, force: true });
        spawnSync(process.execPath, [WXO_BIN, 'check', '--all', '--format', 'json', '--cache-dir', join(ctx.outDir, 'result-cache')], {
          cwd: ctx.repo,
          stdio: 'ignore',
        });
      }
    },
    command: (ctx) => ({
      argv: [process.execPath, WXO_BIN, 'check', '--all', '--format', 'json', '--cache-dir', join(ctx.outDir, 'result-cache')],
      cwd: ctx.repo,
    }),
    parse: (ctx, out) =>
      readJson(out)
        .findings.filter((f) => f.file)
        .map((f) => ({
          file: f.file,
          line: f.line ?? 0,
          rule: f.rule,
          secret: f.rule === 'secrets' || (f.rule === 'connection-template' && Boolean(f.hash)),
        })),
    scoresSecrets: true,
    okExit: [0, 1],
  },
  {
    id: 'secretlint',
    label: 'secretlint (recommended preset)',
    available: () => (existsSync(SECRETLINT_BIN) ? true : 'node_modules/secretlint missing (npm install)'),
    command: (ctx) => ({
      argv: [process.execPath, SECRETLINT_BIN, '--secretlintrc', secretlintRc(ctx), '--format', 'json', '**/*'],
      cwd: ctx.repo,
    }),
    parse: parseSecretlint,
    scoresSecrets: true,
    okExit: [0, 1],
  },
  {
    id: ANCHOR,
    label: 'secretlint, profiler off (anchor)',
    available: () => (existsSync(SECRETLINT_BIN) ? true : 'node_modules/secretlint missing (npm install)'),
    command: (ctx) => ({
      argv: [process.execPath, '--import', NO_PROFILER, SECRETLINT_BIN, '--secretlintrc', secretlintRc(ctx), '--format', 'json', '**/*'],
      cwd: ctx.repo,
      env: { ...process.env, BENCH_PROFILER_REPORT: join(ctx.outDir, 'no-profiler.report.json') },
    }),
    parse: parseSecretlint,
    afterRun: (ctx) => {
      const path = join(ctx.outDir, 'no-profiler.report.json');
      if (!existsSync(path)) return { ok: false, message: 'no-profiler preload wrote no report: the patch probably did not load' };
      const r = readJson(path);
      const facts = `same module instance as the CLI and @secretlint/core: ${r.sameModule}; patched mark() calls: ${r.patchedCalls}; real performance marks: ${r.realMarks}`;
      return r.effective
        ? { ok: true, message: `profiler patch verified (${facts})` }
        : { ok: false, message: `profiler patch NOT effective — this run is not profiler-free (${facts})` };
    },
    scoresSecrets: true,
    okExit: [0, 1],
  },
  {
    id: 'yamllint',
    label: 'yamllint -f parsable .',
    available: () => (hasCommand('yamllint', ['--version']) ? true : 'yamllint not installed (apt-get install yamllint) — skipped'),
    command: (ctx) => ({ argv: ['yamllint', '-f', 'parsable', '.'], cwd: ctx.repo }),
    parse: (ctx, out) =>
      readFileSync(out, 'utf8')
        .split('\n')
        .map((l) => /^(.*?):(\d+):(\d+): \[(\w+)\] .*\((.+)\)$/.exec(l))
        .filter(Boolean)
        .map((m) => ({ file: rel(ctx, m[1]), line: Number(m[2]), rule: m[5], secret: false })),
    scoresSecrets: false,
    okExit: [0, 1],
  },
];

// ---- scoring -------------------------------------------------------------------------------------

/**
 * A planted secret is found when the tool reports a (secret) finding in its file within ±1 line;
 * a decoy is hit by any secret finding within ±1 line. Each finding is attributed to one item:
 * same line before ±1, planted secrets before decoys. Everything unattributed is "other".
 */
export function score(findings, manifest) {
  const items = new Map();
  const addItem = (type, e) => {
    const list = items.get(e.file) ?? [];
    list.push({ type, entry: e, hits: 0 });
    items.set(e.file, list);
  };
  manifest.secrets.forEach((e) => addItem('secret', e));
  manifest.decoys.forEach((e) => addItem('decoy', e));
  let other = 0;
  const otherByRule = {};
  const otherSample = [];
  for (const f of findings) {
    let best;
    if (f.secret) {
      for (const it of items.get(f.file) ?? []) {
        const d = Math.abs(it.entry.line - f.line);
        if (d > 1) continue;
        const rank = d * 2 + (it.type === 'secret' ? 0 : 1);
        if (!best || rank < best.rank) best = { it, rank };
      }
    }
    if (best) best.it.hits++;
    else {
      other++;
      otherByRule[f.rule] = (otherByRule[f.rule] ?? 0) + 1;
      if (otherSample.length < 10) otherSample.push(f);
    }
  }
  const all = [...items.values()].flat();
  const tally = (type) => {
    const byKind = {};
    for (const it of all.filter((i) => i.type === type)) {
      const k = (byKind[it.entry.kind] ??= { total: 0, hit: 0, findings: 0, missed: [] });
      k.total++;
      k.findings += it.hits;
      if (it.hits) k.hit++;
      else if (type === 'secret') k.missed.push(`${it.entry.file}:${it.entry.line}`);
    }
    return byKind;
  };
  const secrets = tally('secret');
  const decoys = tally('decoy');
  const sum = (o, k) => Object.values(o).reduce((n, x) => n + x[k], 0);
  return {
    recall: { found: sum(secrets, 'hit'), total: sum(secrets, 'total'), byKind: secrets },
    decoys: { hit: sum(decoys, 'hit'), findings: sum(decoys, 'findings'), total: sum(decoys, 'total'), byKind: decoys },
    other,
    otherByRule,
    otherSample,
    totalFindings: findings.length,
  };
}

// ---- repositories --------------------------------------------------------------------------------

/** `repo-N` for the default profile (its name since round 1), `<profile>-N` for the others. */
export const repoName = (profile, size) => `${profile === 'default' ? 'repo' : profile}-${size}`;

function ensureRepo(size, profile, opts) {
  const repo = join(WORK, repoName(profile, size));
  const manifestPath = `${repo}.manifest.json`;
  let manifest = existsSync(manifestPath) ? readJson(manifestPath) : undefined;
  const fresh =
    manifest &&
    manifest.seed === opts.seed &&
    manifest.files === size &&
    (manifest.profile ?? 'default') === profile &&
    manifest.generatorVersion === GENERATOR_VERSION &&
    existsSync(join(repo, '.git'));
  if (!fresh || opts.regenerate) {
    process.stderr.write(`generating ${relative(process.cwd(), repo)} (${size} files, profile ${profile}, seed ${opts.seed}) …\n`);
    manifest = generateRepo({
      files: size,
      out: repo,
      seed: opts.seed,
      profile,
      force: true,
      log: (m) => process.stderr.write(`  ${m}\n`),
    }).manifest;
  }
  return { repo, manifest };
}

/** 1-minute load average (other jobs on the machine make wall times noisy: the report says how much). */
function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** Growth: wxo-policy's time per MiB should stay flat from size to size (linear in bytes). */
function growth(results) {
  const rows = [];
  for (const r of results) {
    const w = r.tools.find((t) => t.id === 'wxo-policy' && t.summary);
    const a = r.tools.find((t) => t.id === ANCHOR && t.summary);
    if (!w) continue;
    const mib = r.manifest.totalBytes / 1048576;
    rows.push([
      r.size,
      mib.toFixed(1),
      w.summary.wall.toFixed(2),
      w.summary.cpu.toFixed(2),
      ((1000 * w.summary.cpu) / mib).toFixed(1),
      w.summary.maxPeakMB.toFixed(0),
      a ? (w.summary.wall / a.summary.wall).toFixed(2) + '×' : '—',
    ]);
  }
  return [
    `\n## Growth (profile ${results[0].profile})\n`,
    table(['files', 'MiB', 'wall s', 'CPU s', 'CPU ms / MiB', 'peak MB', 'wall vs anchor'], rows),
  ].join('\n');
}

function warmCache(repo) {
  spawnSync(process.execPath, ['-e', FLOOR_SCRIPT], { cwd: repo, stdio: 'ignore' });
}

// ---- formatting ----------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');
const secs = (r) => (r.timedOut ? `>${r.wall.toFixed(0)} (timeout)` : r.wall.toFixed(2));

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function report(sizeResult) {
  const { size, manifest, tools } = sizeResult;
  const out = [];
  const mib = (manifest.totalBytes / 1048576).toFixed(1);
  const { profile = 'default' } = sizeResult;
  out.push(
    `\n## ${size} files, profile ${profile} (${mib} MiB, ${manifest.secrets.length} planted secrets, ${manifest.decoys.length} decoys${manifest.missingTools ? `, ${manifest.missingTools} references to missing tools` : ''})\n`,
  );
  const anchor = tools.find((t) => t.id === ANCHOR && t.summary && !t.summary.timedOut);
  const rows = [];
  for (const t of tools) {
    if (t.skipped) {
      rows.push([t.label, 'skipped', '—', '—', '—', '—', '—', '—', '—', '—']);
      continue;
    }
    const s = t.summary;
    const paired = anchor ? pairedRatios(t, anchor) : undefined;
    const ratio = paired ? `${spread(paired.wall, 2, '×')}${s.timedOut ? '+' : ''}` : '—';
    const cpuRatio = paired ? spread(paired.cpu, 2, '×') : '—';
    const sc = t.score;
    rows.push([
      t.label + (s.runs < t.runsWanted ? ` [${s.runs} run${s.runs > 1 ? 's' : ''}]` : ''),
      s.runs > 1 && !s.timedOut
        ? spread(
            t.runs.map((r) => r.wall),
            2,
          )
        : secs(s),
      s.runs > 1
        ? spread(
            t.runs.map((r) => r.cpu),
            2,
          )
        : s.cpu.toFixed(2),
      s.peakMB.toFixed(0),
      s.timedOut ? 'killed' : `${s.exit}${t.okExit.includes(s.exit) ? '' : ' (!)'}`,
      ratio,
      cpuRatio,
      sc && t.scoresSecrets
        ? `${pct(sc.recall.found, sc.recall.total)} (${sc.recall.found}/${sc.recall.total})`
        : t.scoresSecrets && s.timedOut
          ? 'n/a (timed out)'
          : '—',
      sc && t.scoresSecrets ? `${sc.decoys.hit}/${sc.decoys.total}` : '—',
      sc ? String(sc.other) : '—',
    ]);
  }
  out.push(
    table(
      ['tool', 'wall s', 'CPU s', 'peak MB', 'exit', 'wall vs anchor', 'CPU vs anchor', 'recall', 'decoys hit', 'other findings'],
      rows,
    ),
  );
  out.push(
    "\nTimes: median [min–max] over the runs; ratios: median [min–max] of the per-run ratios (each run of a tool next to the anchor's run of the same round).",
  );
  if (sizeResult.load?.length)
    out.push(
      `Load average (1 min) during the runs: median ${median(sizeResult.load).toFixed(2)} [${Math.min(...sizeResult.load).toFixed(2)}–${Math.max(...sizeResult.load).toFixed(2)}] on ${availableParallelism()} cores.`,
    );
  const scored = tools.filter((t) => t.score && t.scoresSecrets);
  if (scored.length) {
    const kinds = [...new Set(manifest.secrets.map((s) => s.kind))];
    out.push('\nRecall per planted kind (found/planted):\n');
    out.push(
      table(
        ['kind', ...scored.map((t) => t.id)],
        kinds.map((k) => [
          k,
          ...scored.map((t) => {
            const x = t.score.recall.byKind[k];
            return x ? `${x.hit}/${x.total}` : '—';
          }),
        ]),
      ),
    );
    const dkinds = [...new Set(manifest.decoys.map((s) => s.kind))];
    out.push('\nDecoys hit per kind (decoys with a finding within ±1 line / decoys):\n');
    out.push(
      table(
        ['decoy kind', ...scored.map((t) => t.id)],
        dkinds.map((k) => [
          k,
          ...scored.map((t) => {
            const x = t.score.decoys.byKind[k];
            return x ? `${x.hit}/${x.total}` : '—';
          }),
        ]),
      ),
    );
  }
  for (const t of tools) if (t.skipped) out.push(`note (${t.id}): ${t.skipped}`);
  for (const t of tools) for (const n of t.notes ?? []) out.push(`note (${t.id}): ${n}`);
  return out.join('\n');
}

/** Per-round ratios tool ÷ anchor (interleaved runs: round i of both ran back to back). */
function pairedRatios(t, anchor) {
  const n = Math.min(t.runs.length, anchor.runs.length);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < n; i++) {
    if (t.runs[i].timedOut || anchor.runs[i].timedOut) continue;
    wall.push(t.runs[i].wall / anchor.runs[i].wall);
    cpu.push(t.runs[i].cpu / anchor.runs[i].cpu);
  }
  return wall.length ? { wall, cpu } : undefined;
}

/** `median [min–max]` (just the value for one run). */
function spread(xs, digits, unit = '') {
  const f = (x) => `${x.toFixed(digits)}${unit}`;
  return xs.length > 1 ? `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]` : f(xs[0]);
}

function targets(sizeResult) {
  const get = (id) => sizeResult.tools.find((t) => t.id === id && t.summary);
  const w = get('wxo-policy');
  const a = get(ANCHOR);
  const out = [`\n## Targets (${sizeResult.size}-file repository, profile ${sizeResult.profile ?? 'default'})\n`];
  const rows = [];
  const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'MET' : 'NOT MET');
  const paired = w && a ? pairedRatios(w, a) : undefined;
  if (paired) {
    const wall = median(paired.wall);
    const cpu = median(paired.cpu);
    rows.push([
      'wxo-policy wall ≤ 0.5 × profiler-free secretlint wall',
      `${spread(paired.wall, 2, '×')} (${w.summary.wall.toFixed(2)} s vs ${a.summary.wall.toFixed(2)} s)`,
      verdict(wall <= 0.5),
    ]);
    rows.push([
      'wxo-policy CPU ≤ 1 × profiler-free secretlint CPU',
      `${spread(paired.cpu, 2, '×')} (${w.summary.cpu.toFixed(2)} s vs ${a.summary.cpu.toFixed(2)} s)`,
      verdict(cpu <= 1),
    ]);
  } else rows.push(['wxo-policy wall ≤ 0.5 × profiler-free secretlint wall', 'not measured', 'n/a']);
  const rssLimit = sizeResult.size > 10000 ? 500 : 300;
  rows.push([
    `wxo-policy peak RSS < ${rssLimit} MB`,
    w ? `${w.summary.maxPeakMB.toFixed(0)} MB (largest run)` : 'not measured',
    verdict(w ? w.summary.maxPeakMB < rssLimit : undefined),
  ]);
  if (w?.score) {
    const low = Object.entries(w.score.recall.byKind).filter(([, x]) => x.hit < x.total);
    rows.push([
      'wxo-policy recall 100% for every kind',
      low.length
        ? `below: ${low.map(([k, x]) => `${k} ${pct(x.hit, x.total)}`).join(', ')}`
        : `${w.score.recall.found}/${w.score.recall.total}`,
      verdict(low.length === 0),
    ]);
    rows.push([
      'wxo-policy 0 findings on decoys',
      `${w.score.decoys.findings} finding(s) on ${w.score.decoys.hit} decoy(s)`,
      verdict(w.score.decoys.findings === 0),
    ]);
  } else {
    rows.push(
      ['wxo-policy recall ≥ 95% for every kind', 'not measured', 'n/a'],
      ['wxo-policy 0 findings on decoys', 'not measured', 'n/a'],
    );
  }
  out.push(table(['target', 'measured', 'verdict'], rows));
  if (w?.score) {
    const missed = Object.entries(w.score.recall.byKind).flatMap(([k, x]) => x.missed.slice(0, 3).map((m) => `${k} ${m}`));
    if (missed.length) out.push(`\nwxo-policy misses (up to 3 per kind): ${missed.join('; ')}`);
  }
  return out.join('\n');
}

// ---- main ----------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(
      `usage: node bench/run.mjs [--sizes 100,1000,10000] [--profiles default,adk] [--runs 5] [--seed 1] [--json FILE] [--tools id,…] [--timeout SEC] [--single-run-above SEC] [--keep-above N] [--regenerate]`,
    );
    console.log(`profiles: ${PROFILE_NAMES.join(', ')}`);
    console.log(`tools: ${TOOLS.map((t) => t.id).join(', ')}`);
    return;
  }
  mkdirSync(WORK, { recursive: true });
  const tools = opts.tools ? TOOLS.filter((t) => opts.tools.includes(t.id)) : TOOLS;
  const started = Date.now();
  const results = [];
  const log = (m) => process.stderr.write(`${m}\n`);
  log(`measuring with ${pickMeasurer().kind}; ${opts.runs} run(s) per command, median reported; timeout ${opts.timeout || 'none'} s`);

  for (const profile of opts.profiles)
    for (const size of opts.sizes) {
      const { repo, manifest } = ensureRepo(size, profile, opts);
      const outDir = join(WORK, 'out', repoName(profile, size));
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir, { recursive: true });
      warmCache(repo);
      const ctxBase = { size, repo, manifest, outDir };
      const state = tools.map((t) => {
        const avail = t.available();
        return {
          def: t,
          id: t.id,
          label: t.label,
          okExit: t.okExit,
          scoresSecrets: t.scoresSecrets,
          runsWanted: opts.runs,
          skipped: avail === true ? undefined : avail,
          runs: [],
          notes: [],
          stop: false,
        };
      });
      for (const s of state.filter((x) => x.skipped)) log(s.skipped.startsWith(s.id) ? s.skipped : `${s.id}: ${s.skipped}`);
      const load = [];
      for (let run = 0; run < opts.runs; run++) {
        for (const s of state) {
          if (s.skipped || s.stop) continue;
          const la = loadAverage();
          if (la !== undefined) load.push(la);
          const ctx = { ...ctxBase, runIndex: run };
          const t = s.def;
          t.prepare?.(ctx);
          const cmd = t.command(ctx);
          const stdout = join(outDir, `${t.id}.stdout`);
          const stderr = join(outDir, `${t.id}.stderr`);
          const r = measure({ ...cmd, stdout, stderr, timeout: opts.timeout });
          t.cleanup?.(ctx);
          s.runs.push(r);
          log(
            `${profile} ${size} files · run ${run + 1}/${opts.runs} · ${t.id}: ${secs(r)} s, CPU ${r.cpu.toFixed(2)} s, ${r.peakMB.toFixed(0)} MB, exit ${r.exit} (load ${la ?? '?'})`,
          );
          if (run === 0) {
            const check = t.afterRun?.(ctx);
            if (check) {
              log(`  ${check.ok ? '' : 'NOTE: '}${check.message}`);
              s.notes.push(check.message);
            }
            if (!r.timedOut && !t.okExit.includes(r.exit)) {
              const tail = readFileSync(stderr, 'utf8').trim().split('\n').slice(-5).join('\n');
              s.notes.push(`unexpected exit ${r.exit}: ${tail}`);
              log(`  unexpected exit ${r.exit}:\n${tail}`);
            }
            if (t.parse && !r.timedOut) {
              try {
                s.score = score(t.parse(ctx, stdout), manifest);
              } catch (e) {
                s.notes.push(`could not parse its output: ${e.message}`);
              }
            }
            if (r.timedOut) {
              s.stop = true;
              s.notes.push(
                `killed after ${opts.timeout} s (--timeout); not repeated${t.id === 'secretlint' ? '; same findings as the profiler-free run, which uses the same engine' : ''}`,
              );
            } else if (opts.singleRunAbove && r.wall > opts.singleRunAbove && opts.runs > 1) {
              s.stop = true;
              s.notes.push(
                `first run took ${r.wall.toFixed(1)} s (> --single-run-above ${opts.singleRunAbove} s): not repeated, single value reported`,
              );
            }
          }
        }
      }
      for (const s of state) {
        if (s.skipped || !s.runs.length) continue;
        const rs = s.runs;
        s.summary = {
          runs: rs.length,
          wall: median(rs.map((r) => r.wall)),
          cpu: median(rs.map((r) => r.cpu)),
          peakMB: median(rs.map((r) => r.peakMB)),
          maxPeakMB: Math.max(...rs.map((r) => r.peakMB)),
          exit: rs[0].exit,
          timedOut: rs.some((r) => r.timedOut),
        };
      }
      const sizeResult = {
        size,
        profile,
        load,
        manifest: {
          files: manifest.files,
          seed: manifest.seed,
          commit: manifest.commit,
          totalBytes: manifest.totalBytes,
          missingTools: manifest.missingTools,
          secrets: manifest.secrets,
          decoys: manifest.decoys,
        },
        tools: state.map(({ def, stop, ...rest }) => rest),
      };
      results.push(sizeResult);
      console.log(report(sizeResult));
      // Big repositories are generated for the run and not kept (100,000 files are about 750 MiB).
      if (size > opts.keepAbove) {
        rmSync(repo, { recursive: true, force: true });
        rmSync(`${repo}.manifest.json`, { force: true });
        log(`removed ${relative(process.cwd(), repo)} (more than --keep-above ${opts.keepAbove} files)`);
      }
    }

  for (const profile of opts.profiles) {
    const mine = results.filter((r) => r.profile === profile);
    if (mine.length > 1) console.log(growth(mine));
    const target = mine.find((r) => r.size === 10000) ?? mine[mine.length - 1];
    if (target) {
      if (target.size !== 10000) console.log(`\n(no 10,000-file repository measured: targets shown for ${target.size} files)`);
      console.log(targets(target));
    }
    const big = mine.find((r) => r.size >= 100000);
    if (big && big !== target) console.log(targets(big));
  }
  console.log(`\ntotal bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (opts.json) {
    const slim = results.map((r) => ({
      ...r,
      manifest: { ...r.manifest, secrets: r.manifest.secrets.length, decoys: r.manifest.decoys.length },
    }));
    writeFileSync(
      opts.json,
      JSON.stringify({ node: process.version, measurer: pickMeasurer().kind, options: opts, results: slim }, null, 2) + '\n',
    );
    console.log(`raw results: ${opts.json}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`bench: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}
