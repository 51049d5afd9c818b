import { describe, expect, it } from 'vitest';
import { deployWorld } from './helpers/fakeOrchestrate.js';

/**
 * `wxo-policy drift` through the built CLI against the stand-in orchestrate: never 0 when it
 * could not look (no deploy tag, no API key, authentication refused, a list that fails or answers
 * something that is not the ADK's JSON).
 */
describe('drift cannot tell', () => {
  it('exits 2 when the environment was never deployed, without calling orchestrate', () => {
    const world = deployWorld();
    const r = world.cli(['drift']);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('could not tell whether the tenant drifted: dev has no deploy tag reachable from this commit');
    expect(world.fake.calls()).toEqual([]);
  });

  it('exits 2 when the API key is missing (before any call) or activation fails; json says unknown', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    world.fake.clearLog();
    const noKey = world.cli(['drift'], { WXO_DEV_QA_API_KEY: '' });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('WXO_DEV_QA_API_KEY');
    expect(world.fake.calls()).toEqual([]);

    world.fake.rules([{ match: 'env activate', action: 'fail', message: 'Invalid API key' }]);
    const refused = world.cli(['drift', '--format', 'json']);
    expect(refused.status).toBe(2);
    const report = JSON.parse(refused.stdout);
    expect(report).toMatchObject({ environment: 'dev', verdict: 'unknown', tag: { name: expect.stringMatching(/^v[0-9.]+-dev$/) } });
    expect(report.error).toContain('cannot reach orchestrate environment wxo-dev-qa');
    expect(report.error).toContain('Invalid API key');
  });

  it('exits 2 when a list call fails or does not answer JSON', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    world.fake.rules([{ match: 'connections list -v', action: 'exception', message: 'status 503' }]);
    const failed = world.cli(['drift', '--format', 'junit']);
    expect(failed.status).toBe(2);
    expect(failed.stdout).toContain('<error message="could not tell whether the tenant drifted: orchestrate connections list -v');
    world.fake.rules([{ match: 'connections list -v', action: 'echo' }]);
    const garbled = world.cli(['drift']);
    expect(garbled.status).toBe(2);
    expect(garbled.stdout).toMatch(/orchestrate connections list -v: no JSON in the answer/);
  });

  it('refuses an unknown format and an unknown environment with exit 2', () => {
    const world = deployWorld();
    expect(world.cli(['drift', '--format', 'html']).status).toBe(2);
    const r = world.cli(['drift', '--env', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nowhere');
  });
});

describe('deploy --full', () => {
  it('imports everything at head again although Git did not change, and tags a redeploy', () => {
    const world = deployWorld();
    expect(world.cli(['deploy']).status).toBe(0);
    const firstImports = world.fake.commands().filter((c) => / import /.test(c));
    const tags = () => world.repo.run('tag', '--list').trim().split('\n').filter(Boolean);
    const first = tags();
    world.fake.clearLog();
    const again = world.cli(['deploy']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already deployed/i);
    expect(world.fake.calls()).toEqual([]);

    const full = world.cli(['deploy', '--full']);
    expect(full.status).toBe(0);
    const imports = world.fake.commands().filter((c) => / import /.test(c));
    expect(imports).toEqual(firstImports);
    expect(imports.filter((c) => c.startsWith('agents import'))).toHaveLength(5);
    expect(tags()).toHaveLength(first.length + 1);
    expect(tags().find((t) => !first.includes(t))).toMatch(/^v[0-9.]+-dev\.2$/);
  });
});
