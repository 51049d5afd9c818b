import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll } from 'vitest';

/**
 * Debian tools the live-tenant tests run for real: `.ci/run` installs them. Missing under CI=true
 * is a failure (a green CI must not hide a skipped test); elsewhere the tests skip and say why.
 */
export function debianTool(path: string, pkg: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.CI === 'true') throw new Error(`${path} is missing: .ci/run installs it (apt-get install ${pkg})`);
  console.warn(`skipping: ${path} is not installed (apt-get install ${pkg}); CI installs it`);
  return false;
}

export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
export const CHROMIUM = '/usr/bin/chromium';

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

/** Starts the real Pushgateway on a free port of 127.0.0.1 and waits until it is ready. */
export async function startPushgateway(): Promise<{ url: string; metrics(): Promise<string>; stop(): void }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.push(child);
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.ok)
          return {
            url,
            metrics: async () => (await fetch(`${url}/metrics`)).text(),
            stop: () => child.kill('SIGKILL'),
          };
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    if (!/address already in use/i.test(log)) throw new Error(`prometheus-pushgateway did not start: ${log.slice(-500)}`);
  }
  throw new Error('prometheus-pushgateway: no free port');
}
