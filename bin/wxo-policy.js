#!/usr/bin/env node
// The published entry point: hands over to the compiled CLI (no ts loader at run time).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
