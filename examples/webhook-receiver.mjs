#!/usr/bin/env node
// A webhook receiver on 127.0.0.1 for the demo and the tests: it stands where Slack, Teams or an
// alerting service would, and writes down what it receives.
//
//   node examples/webhook-receiver.mjs --log FILE [--statuses 503,429]
//
// Prints `listening http://127.0.0.1:PORT` once ready. Every request becomes one JSON line in
// FILE: { method, path, headers, body, time }. It answers the --statuses in turn (then 200).
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const log = arg('--log');
if (!log) {
  console.error('usage: webhook-receiver.mjs --log FILE [--statuses 503,429]');
  process.exit(2);
}
const statuses = (arg('--statuses') ?? '').split(',').filter(Boolean).map(Number);
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    appendFileSync(
      log,
      `${JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), time: Date.now() })}\n`,
    );
    const status = statuses.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'try again');
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
