#!/usr/bin/env node
// The published entry point: hands over to the compiled CLI (no ts loader at run time), bundled
// into one file by the build (dist/bundle/cli.js: one module to load, not ~80).
// git calls the merge driver once per conflicting file, so it goes straight to its module
// (`merge-driver --help` is for people: the CLI answers it).
const args = process.argv.slice(2);
const driver = args[0] === 'merge-driver' && !args.slice(1).some((a) => a === '--help' || a === '-h');
const entry = driver ? import('../dist/merge/driverMain.js') : import('../dist/bundle/cli.js').then((cli) => cli.main(args));
entry.catch((e) => {
  // A checkout without dist/ (npm ci not run, or a failed build): say so, not a stack trace. These
  // sentences cannot live in src/messages.ts: it is compiled into the dist/ that is missing.
  const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(`${root}/dist/`)) {
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
