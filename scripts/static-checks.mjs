// `npm test`'s checks that read the code without running it — typecheck, lint, format:check — run
// side by side (as many at once as there are cores), each one's output printed whole when it ends.
// Each is single-threaded, so one after the other they leave the other cores idle.
// Exit status: 1 if any failed (each failure is printed in full), else 0.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/static-checks.mjs <npm script>…');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ script, code: 1, output: `${output}${e.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ script, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const queue = [...scripts];
const failed = [];
const worker = async () => {
  for (let script = queue.shift(); script; script = queue.shift()) {
    const r = await run(script);
    const verdict = r.code === 0 ? 'ok' : `FAILED (exit ${r.code})`;
    process.stdout.write(`\n> npm run ${r.script}: ${verdict} in ${r.seconds.toFixed(1)} s\n${r.output}`);
    if (r.code !== 0) failed.push(r.script);
  }
};
await Promise.all(Array.from({ length: Math.min(scripts.length, Math.max(2, availableParallelism())) }, worker));
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.map((s) => `npm run ${s}`).join(', ')}`);
  process.exit(1);
}
