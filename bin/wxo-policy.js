#!/usr/bin/env node
// The published entry point: hands over to the compiled CLI (no ts loader at run time).
// git calls the merge driver once per conflicting file, so it goes straight to its module.
if (process.argv[2] === 'merge-driver') import('../dist/merge/driverMain.js');
else import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
