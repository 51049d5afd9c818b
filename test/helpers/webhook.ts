import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { PROJECT_ROOT } from './cli.js';
import { tempDir } from './tmp.js';

/**
 * The demo's webhook receiver (examples/webhook-receiver.mjs) as a real process on 127.0.0.1: the
 * CLI runs synchronously in the tests, so the receiver cannot live in the test's own event loop.
 */
export interface Webhook {
  url: string;
  received(): { method: string; path: string; headers: Record<string, string>; body: string; json: any }[];
}

export async function startWebhook(statuses: number[] = []): Promise<Webhook> {
  const log = join(tempDir('wxo-webhook-'), 'received.jsonl');
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'examples', 'webhook-receiver.mjs'), '--log', log, ...(statuses.length ? ['--statuses', statuses.join(',')] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`${m[1]}/hooks/${Math.random().toString(36).slice(2)}`);
    });
    child.on('exit', (code) => reject(new Error(`webhook receiver exited ${code}`)));
  });
  return {
    url,
    received: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => {
              const r = JSON.parse(l);
              let json: unknown;
              try {
                json = JSON.parse(r.body);
              } catch {
                json = undefined;
              }
              return { ...r, json };
            })
        : [],
  };
}
