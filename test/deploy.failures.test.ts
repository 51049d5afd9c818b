import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';
import { deployWorld, edit, type DeployWorld, isLiveRead } from './helpers/fakeOrchestrate.js';

/**
 * When orchestrate fails — with an exit code, with `[ERROR]` and exit 0, by hanging — the deploy
 * stops, says which steps ran, and leaves no tag, so the next run plans again from the last one.
 * And one deploy per environment at a time.
 */
function deployedDev(): DeployWorld {
  const world = deployWorld({ deployed: 'develop' });
  world.fake.clearLog();
  return world;
}

const tags = (world: DeployWorld) => world.repo.run('tag', '-l').trim().split('\n');
const lockFile = (world: DeployWorld, env = 'dev') => join(world.repo.dir, '.git', `wxo-policy-deploy-${env}.lock`);

function changeThreeAgents(world: DeployWorld): void {
  for (const agent of ['billing_agent', 'claims_agent', 'policy_servicing_agent']) {
    edit(world.repo, `agents/${agent}.yaml`, (t) => t.replace(/^display_name: (.*)$/m, 'display_name: $1 (new)'));
  }
  world.repo.commitAll('three agents renamed for display');
}

describe('a failing call', () => {
  it('stops the deploy, shows what ran, creates no tag; the next run plans again from the last tag', () => {
    const world = deployedDev();
    changeThreeAgents(world);
    world.fake.rules([{ match: 'agents import -f agents/claims_agent.yaml', action: 'fail' }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[1/4] activate orchestrate environment wxo-dev-qa');
    expect(r.stdout).toMatch(/\[2\/4\] import agent billing_agent — changed[\s\S]*✓/);
    expect(r.stdout).toContain('[3/4] import agent claims_agent — changed');
    expect(r.stdout).toContain('│ [ERROR] - Failed to agents import: the server said no');
    expect(r.stdout).toContain('✗ exit 1: [ERROR] - Failed to agents import: the server said no');
    expect(r.stdout).not.toContain('[4/4]');
    expect(r.stderr).toContain('deploy failed at step 3 of 4 (import agent claims_agent — changed): exit 1');
    expect(r.stderr).toContain('2 steps done, 1 not run. No tag was created: the next deploy plans again from v1.4.0-dev');
    expect(tags(world)).toEqual(['v1.4.0-dev']);
    expect(existsSync(lockFile(world))).toBe(false);
    expect(world.fake.commands().some((c) => c.includes('policy_servicing_agent'))).toBe(false);

    // The rerun replans everything since v1.4.0-dev (the import that succeeded is an idempotent upsert).
    world.fake.rules([]);
    world.fake.clearLog();
    const again = world.cli(['deploy']);
    expect(again.status).toBe(0);
    expect(world.fake.commands().filter((c) => !c.startsWith('env ') && !isLiveRead(c))).toEqual([
      'agents import -f agents/billing_agent.yaml',
      'agents import -f agents/claims_agent.yaml',
      'agents import -f agents/policy_servicing_agent.yaml',
    ]);
    expect(tags(world)).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2']);
  });

  it('a failure midway through the removals: the rerun counts what the first run removed as done, and completes', () => {
    const world = deployedDev();
    world.repo.run('rm', '-q', '-r', 'knowledge_bases/policy_coverage_kb', 'tools/calculate_payout_estimate');
    edit(world.repo, 'agents/policy_servicing_agent.yaml', (t) => t.replace('  - policy_coverage_kb\n', ''));
    edit(world.repo, 'agents/claims_agent.yaml', (t) => t.replace('  - calculate_payout_estimate\n', ''));
    world.repo.commitAll('no coverage KB, no payout estimates');
    world.fake.rules([{ match: 'tools remove -n calculate_payout_estimate', action: 'fail', times: 1 }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deploy failed at step 5 of 5 (remove tool calculate_payout_estimate');
    expect(world.fake.commands().filter((c) => c.includes('remove'))).toEqual([
      'knowledge-bases remove -n policy_coverage_kb',
      'tools remove -n calculate_payout_estimate',
    ]);
    expect(tags(world)).toEqual(['v1.4.0-dev']);

    // The rerun plans the same removals from v1.4.0-dev; the knowledge base is gone already.
    world.fake.clearLog();
    const again = world.cli(['deploy']);
    expect(again.status, again.output).toBe(0);
    expect(again.stdout).toContain("│ [WARNING] - No knowledge base 'policy_coverage_kb' found");
    expect(again.stdout).toContain("already removed ([WARNING] - No knowledge base 'policy_coverage_kb' found): counted as done");
    expect(world.fake.commands().filter((c) => c.includes('remove'))).toEqual([
      'knowledge-bases remove -n policy_coverage_kb',
      'tools remove -n calculate_payout_estimate',
    ]);
    expect(tags(world)).toEqual(['v1.4.0-dev', 'v1.4.0-dev.2']);
  });

  it('treats "[ERROR]" with exit 0 as a failure (agents deploy reports a failed release that way)', () => {
    const world = deployWorld();
    world.repo.run('switch', '-q', '-c', 'qa-1.4.0');
    world.fake.rules([{ match: 'agents deploy -n claims_agent', action: 'error0' }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ exit 0 but the output reports an error: [ERROR] - Error deploying agent claims_agent');
    expect(r.output).not.toContain('\x1b['); // the CLI's colours are stripped
    expect(r.stderr).toContain('No tag was created: the next deploy plans again from the beginning (no deploy tag yet)');
    expect(world.repo.run('tag', '-l').trim()).toBe('');
    expect(world.fake.commands().at(-1)).toBe('agents deploy -n claims_agent');
  });

  it('treats a knowledge-base import whose indexing failed (exit 0) as a failure', () => {
    const world = deployedDev();
    edit(world.repo, 'knowledge_bases/policy_coverage_kb/auto_coverage_guide.txt', (t) => `${t}\nRental cars are covered for 30 days.\n`);
    world.repo.commitAll('auto guide: rental');
    world.fake.rules([{ match: 'knowledge-bases import', action: 'kb-failed' }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "✗ exit 0 but the knowledge base import did not finish: ✗ Knowledge base 'policy_coverage_kb' import failed",
    );
    expect(tags(world)).toEqual(['v1.4.0-dev']);
  });

  it('kills a call that exceeds the timeout and fails the deploy', () => {
    const world = deployedDev();
    edit(world.repo, 'wxo-policy.yaml', (t) => t.replace('timeout_seconds: 600', 'timeout_seconds: 2'));
    changeThreeAgents(world);
    world.fake.rules([{ match: 'agents import -f agents/claims_agent.yaml', action: 'hang' }]);
    const started = Date.now();
    const r = world.cli(['deploy']);
    expect(r.status).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stdout).toContain('✗ timed out after 2 s (killed)');
    const hung = world.fake.calls().find((c) => c.argv.includes('agents/claims_agent.yaml'))!;
    expect(() => process.kill(hung.pid, 0)).toThrow(); // the process group was killed
    expect(tags(world)).toEqual(['v1.4.0-dev']);
  });

  it('retries a failed call as often as deploy.retries allows', () => {
    const world = deployedDev();
    edit(world.repo, 'wxo-policy.yaml', (t) => t.replace('retries: 0', 'retries: 1'));
    changeThreeAgents(world);
    world.fake.rules([{ match: 'agents import -f agents/claims_agent.yaml', action: 'exception', times: 1 }]);
    const r = world.cli(['deploy']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('retry 1/1 (exit 1: ClientAPIException: status 500)');
    expect(world.fake.commands().filter((c) => c === 'agents import -f agents/claims_agent.yaml')).toHaveLength(2);
  });

  it('stops with exit 2 when the orchestrate CLI is not installed', () => {
    const world = deployWorld();
    const r = world.cli(['deploy'], { PATH: '/usr/bin:/bin' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the orchestrate CLI "orchestrate" was not found');
    expect(r.stderr).toContain('pip install ibm-watsonx-orchestrate');
  });
});

describe('the deploy lock', () => {
  it('refuses a second deploy while the lock is held, and takes over stale locks', () => {
    const world = deployWorld();
    const lock = (info: object) => writeFileSync(lockFile(world), JSON.stringify({ environment: 'dev', commit: 'abc', ...info }));
    lock({ pid: process.pid, host: hostname(), time: new Date().toISOString() });
    const refused = world.cli(['deploy']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`another deploy of dev is running (pid ${process.pid} on ${hostname()}`);
    expect(refused.stderr).toContain('If you are sure no deploy runs, remove');
    expect(world.fake.calls()).toEqual([]);

    // Another host's lock younger than the bound is respected too.
    lock({ pid: 1, host: 'jenkins-agent-7', time: new Date().toISOString() });
    expect(world.cli(['deploy']).status).toBe(2);

    // Stale: the process is gone (same host) …
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid!;
    return new Promise<void>((resolve) => dead.on('exit', () => resolve())).then(() => {
      lock({ pid: deadPid, host: hostname(), time: new Date().toISOString() });
      const r = world.cli(['deploy']);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(`took over a stale deploy lock (pid ${deadPid} on ${hostname()}`);
      expect(existsSync(lockFile(world))).toBe(false);

      // … or the lock is older than any deploy can run (another host).
      edit(world.repo, 'agents/billing_agent.yaml', (t) => t.replace('display_name: Billing Specialist', 'display_name: Billing'));
      world.repo.commitAll('billing');
      lock({ pid: 1, host: 'jenkins-agent-7', time: new Date(Date.now() - 7 * 3600_000).toISOString() });
      const old = world.cli(['deploy']);
      expect(old.status).toBe(0);
      expect(old.stderr).toContain('took over a stale deploy lock (pid 1 on jenkins-agent-7');
    });
  }, 240_000);

  it('a running deploy holds the lock; interrupted, it removes the lock and its rendered files', async () => {
    const world = deployWorld();
    world.fake.rules([{ match: 'agents import', action: 'hang' }]);
    const child = spawn(process.execPath, [CLI, 'deploy'], { cwd: world.repo.dir, env: world.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    // Generous: at a load average of 18 the calls before the first agents import take half a minute.
    const deadline = Date.now() + 180_000;
    while (!world.fake.commands().some((c) => c.startsWith('agents import')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(lockFile(world))).toBe(true);

    const second = world.cli(['deploy']);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`another deploy of dev is running (pid ${child.pid}`);

    const hung = world.fake.calls().find((c) => c.argv[0] === 'agents')!;
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(output).toContain('deploy interrupted (SIGTERM): no tag was created');
    expect(existsSync(lockFile(world))).toBe(false);
    expect(existsSync(hung.cwd)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(hung.pid, 0)).toThrow();
    expect(world.repo.run('tag', '-l').trim()).toBe('');
    world.captured.push(output);
  }, 300_000);
});
