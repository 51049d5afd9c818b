/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stateRecord, type DriftReport } from '../src/live/drift.js';
import { PROJECT_ROOT } from './helpers/cli.js';
import { CHROMIUM, debianTool } from './helpers/debianTools.js';
import { deployWorld } from './helpers/fakeOrchestrate.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The status board in a real browser: Debian's chromium, headless, driven by playwright-core.
 * The DOM is asserted (columns along the promotion path, what each says, words and symbols next
 * to colours, nothing fetched from the network, the print layout), and a screenshot is kept at
 * reports/status-board.png.
 */
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!debianTool(CHROMIUM, 'chromium'))('the status board', () => {
  it('shows each environment as a column along the promotion path, readable without colour, printable, offline', async () => {
    const world = deployWorld();
    const { repo } = world;
    expect(world.cli(['deploy'], { BUILD_URL: 'https://ci.example.test/job/wxo/42/' }).status).toBe(0);
    repo.run('switch', '-q', '-c', 'qa-1.4.0');
    expect(world.cli(['deploy']).status).toBe(0);
    repo.run('commit', '-q', '--allow-empty', '-m', 'a fix waiting for qa');
    // The last drift check of qa found drift (as `wxo-policy drift` records it).
    const report: DriftReport = {
      environment: 'qa',
      tenant: 'dev-qa-tenant',
      stage: 'live',
      checkedAt: new Date().toISOString(),
      verdict: 'drift',
      items: [{ kind: 'agent', name: 'claims_agent', state: 'changed', diffs: [] }],
      unchecked: [],
      notes: [],
    };
    mkdirSync(join(repo.dir, '.git', 'wxo-policy', 'drift'), { recursive: true });
    writeFileSync(join(repo.dir, '.git', 'wxo-policy', 'drift', 'qa.json'), JSON.stringify(stateRecord(report)));

    const r = world.cli(['status', '--format', 'html', '--output', 'reports/status.html']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('dev — tenant dev-qa-tenant');
    const html = readFileSync(join(repo.dir, 'reports', 'status.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);

    const { chromium } = await import('playwright-core');
    // A fresh --user-data-dir: playwright passes it to chromium for a persistent context.
    const browser = await chromium.launchPersistentContext(tempDir('wxo-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      args: LAUNCH_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      const url = pathToFileURL(join(repo.dir, 'reports', 'status.html')).href;
      await page.goto(url);
      expect(requests).toEqual([url]);

      const columns = page.locator('[data-test=environment]');
      expect(await columns.evaluateAll((els) => els.map((e) => e.getAttribute('data-environment')))).toEqual([
        'dev',
        'qa',
        'staging',
        'prod',
      ]);
      // Left to right on the screen, in that order.
      const xs = await columns.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
      expect([...xs].sort((a, b) => a - b)).toEqual(xs);

      const dev = page.locator('[data-environment=dev]');
      expect(await dev.locator('[data-test=stage]').innerText()).toBe('DRAFT stage');
      expect(await dev.locator('[data-test=tenant] dd').innerText()).toBe('dev-qa-tenant');
      expect(await dev.locator('[data-test=tag]').innerText()).toBe('v1.4.0-dev');
      expect(await dev.locator('[data-test=who] dd').innerText()).toMatch(/^by Test Committer at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ s\)$/);
      expect(await dev.locator('[data-test=build] a').getAttribute('href')).toBe('https://ci.example.test/job/wxo/42/');
      expect(await dev.locator('[data-test=drift]').innerText()).toBe('? not checked');
      expect(await dev.locator('[data-test=binding]').innerText()).toBe('✔ ok');
      expect(await dev.locator('[data-test=promotion]').innerText()).toBe('✔ none → qa-1.4.0');

      const qa = page.locator('[data-environment=qa]');
      expect(await qa.locator('[data-test=stage]').innerText()).toBe('LIVE stage');
      expect(await qa.locator('[data-test=version] dd').innerText()).toBe('1.4.0');
      expect(await qa.locator('[data-test=tag]').innerText()).toBe('v1.4.0-qa');
      expect(await qa.locator('[data-test=undeployed]').innerText()).toBe('! 1 commit');
      expect(await qa.locator('[data-test=drift]').innerText()).toMatch(/^✖ drift: 1 resource \(checked /);
      expect(await qa.locator('[data-test=drifted]').innerText()).toBe('agent claims_agent changed');
      expect(await page.locator('[data-environment=prod] [data-test=no-branch]').innerText()).toBe('No branch here or on the remote.');

      // Colour is never the only signal: every badge has a symbol and words, and the states differ in both.
      const badges = await page
        .locator('.badge')
        .evaluateAll((els) =>
          els.map((e) => ({ state: e.getAttribute('data-state'), text: (e as HTMLElement).innerText, color: getComputedStyle(e).color })),
        );
      for (const b of badges) expect(b.text).toMatch(/^[✔!✖?] \S/);
      const colourOf = (state: string) => badges.find((b) => b.state === state)!.color;
      expect(new Set(['ok', 'warn', 'bad', 'none'].map(colourOf)).size).toBe(4);

      mkdirSync(join(PROJECT_ROOT, 'reports'), { recursive: true });
      await page.screenshot({ path: join(PROJECT_ROOT, 'reports', 'status-board.png'), fullPage: true });

      // Printable: black on white, badges keep their words, links spell out their target.
      await page.emulateMedia({ media: 'print' });
      const printed = await page
        .locator('[data-environment=qa] [data-test=drift]')
        .evaluate((e) => ({ bg: getComputedStyle(e).backgroundColor, color: getComputedStyle(e).color }));
      expect(printed).toEqual({ bg: 'rgba(0, 0, 0, 0)', color: 'rgb(0, 0, 0)' });
      expect(await dev.locator('[data-test=build] a').evaluate((e) => getComputedStyle(e, '::after').content)).toBe(
        '" (https://ci.example.test/job/wxo/42/)"',
      );
      const pdf = await page.pdf({ format: 'A4', landscape: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await browser.close();
    }
  }, 300_000);

  it('escapes what it shows: a branch or build URL from Git cannot inject markup or a javascript: link', async () => {
    const world = deployWorld();
    expect(world.cli(['deploy'], { BUILD_URL: 'javascript:alert(1)' }).status).toBe(0);
    const out = tempDir('wxo-board-');
    expect(world.cli(['status', '--output', join(out, 'board.html')]).status).toBe(0);
    const html = readFileSync(join(out, 'board.html'), 'utf8');
    expect(html).toContain('javascript:alert(1)');
    expect(html).not.toContain('href="javascript:');
  }, 300_000);
});
