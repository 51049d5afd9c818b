#!/usr/bin/env node
// The published entry point: hands over to the compiled CLI (no ts loader at run time).
// The build bundles the CLI into one CommonJS file (dist/bundle/cli.cjs: one file to read, not ~80
// modules to resolve) and records V8's compiled code of it (dist/bundle/cli.cache): a hook does not
// compile a megabyte of JavaScript on every commit. A cache this node's V8 rejects (another version,
// other flags) only costs the compile that happens without it.
// git calls the merge driver once per conflicting file, so it goes straight to its module
// (`merge-driver --help` is for people: the CLI answers it); the merge hooks, light with a warm
// policy cache (a few modules, never the policy parser: test/merge.test.ts watches which), run
// from the compiled modules too.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// The launcher set NODE_EXTRA_CA_CERTS aside for a hook that makes no TLS connection (node parses
// the bundle while it starts): the programs the hook starts get it back (src/setup/scaffold.ts).
if (process.env.WXO_POLICY_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.WXO_POLICY_NODE_EXTRA_CA_CERTS;
  delete process.env.WXO_POLICY_NODE_EXTRA_CA_CERTS;
}

const args = process.argv.slice(2);
const driver = args[0] === 'merge-driver' && !args.slice(1).some((a) => a === '--help' || a === '-h');
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = `${distDir}bundle/cli.cjs`;
const codeCache = `${distDir}bundle/cli.cache`;

function runCli() {
  const source = readFileSync(bundle, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    // no cache: compile as node would
  }
  // The wrapper node puts around a CommonJS module, plus the import() of a package loaded on demand
  // (node:vm code cannot import; the build rewrote those calls).
  const script = new Script(`(function (exports, require, module, __filename, __dirname, importExternal) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle), (specifier) => import(specifier));
  const done = module.exports.main(args);
  // The build records the code a few checks compiled (scripts/build.mjs, recordCompiledCode).
  return process.env.WXO_POLICY_WRITE_CODE_CACHE ? done.then(() => writeFileSync(codeCache, script.createCachedData())) : done;
}

// A check is over when its promise settles. Left to itself, node would first let V8 collect the
// heap it is about to drop (its idle-time GC: ~10 ms on every commit); it ends once the output is
// written instead. Only where nothing can still be under way: a deploy may leave a notification
// to finish.
const checkOnly = args[0] === 'check' || (args[0] === 'hook' && (args[1] === 'pre-commit' || args[1] === 'pre-push'));
function exitOnceWritten() {
  let writing = 2;
  for (const stream of [process.stdout, process.stderr]) stream.write('', () => --writing || process.exit());
}

const mergeHook = args[0] === 'hook' && (args[1] === 'pre-merge-commit' || args[1] === 'post-merge');
const entry = driver
  ? import('../dist/merge/driverMain.js')
  : mergeHook
    ? import('../dist/cli/main.js').then((cli) => cli.main(args))
    : new Promise((resolve) => resolve(runCli())).then(() => checkOnly && exitOnceWritten());
entry.catch((e) => {
  // A checkout without dist/ (npm ci not run, or a failed build): say so, not a stack trace. These
  // sentences cannot live in src/messages.ts: it is compiled into the dist/ that is missing.
  const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const missing =
    (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(`${root}/dist/`)) ||
    (e && e.code === 'ENOENT' && e.path === bundle);
  if (missing) {
    process.stderr.write(
      `wxo-policy: error: this wxo-policy checkout is not built (${root}/dist is missing or incomplete)\nRun \`npm ci\` in ${root} (it builds dist/), or \`npm run build\` there after a change.\n`,
    );
    process.exitCode = driver ? 1 : 2;
    return;
  }
  process.stderr.write(`wxo-policy: error: ${e && e.message ? e.message : e}\n`);
  if (process.env.WXO_POLICY_DEBUG && e && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = driver ? 1 : 2;
});
