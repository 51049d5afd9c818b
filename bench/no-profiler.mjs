// Preload for the secretlint CLI: switches off secretlint 11's profiler.
//
//   node --import ./bench/no-profiler.mjs node_modules/secretlint/bin/secretlint.js …
//
// @secretlint/profiler exports a singleton `secretLintProfiler`; its mark() calls
// performance.mark(), and a PerformanceObserver then searches every earlier entry, so a long run
// is quadratic in the number of files (fixed in secretlint 13, which needs Node 22). Replacing
// mark() with a no-op removes that cost and nothing else: the profiler is only read by --profile.
//
// Verification, written at exit to $BENCH_PROFILER_REPORT (JSON) or stderr:
//  - the profiler module the CLI (and @secretlint/core) resolve is the file patched here, and
//  - the patched mark() was called while no real performance mark was recorded.

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const SPEC = '@secretlint/profiler';
const profilerModule = await import(SPEC);
const profiler = profilerModule.secretLintProfiler;
let calls = 0;
profiler.mark = () => {
  calls++;
};

const ownPath = createRequire(import.meta.url).resolve(SPEC);
const resolvedFrom = {};
try {
  // process.argv[1] is the CLI entry (…/secretlint/bin/secretlint.js); its modules live in ../module.
  const cli = join(dirname(process.argv[1]), '..', 'module', 'cli.js');
  const fromCli = createRequire(cli);
  resolvedFrom.cli = fromCli.resolve(SPEC);
  const core = fromCli.resolve('@secretlint/core');
  resolvedFrom.core = createRequire(core).resolve(SPEC);
} catch (e) {
  resolvedFrom.error = String(e?.message ?? e);
}

process.on('exit', () => {
  const realMarks = performance.getEntriesByType('mark').length;
  const sameModule = !resolvedFrom.error && resolvedFrom.cli === ownPath && resolvedFrom.core === ownPath;
  const report = {
    patched: ownPath,
    resolvedFrom,
    sameModule,
    patchedCalls: calls,
    realMarks,
    effective: sameModule && calls > 0 && realMarks === 0,
  };
  const text = JSON.stringify(report);
  if (process.env.BENCH_PROFILER_REPORT) writeFileSync(process.env.BENCH_PROFILER_REPORT, text + '\n');
  else process.stderr.write(`no-profiler: ${text}\n`);
});

export const patchedFile = fileURLToPath(new URL(import.meta.url));
