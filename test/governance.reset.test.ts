import { describe, expect, it } from 'vitest';
import { deployWorld, isLiveRead, type DeployWorld } from './helpers/fakeOrchestrate.js';
import { minimalGitops } from './helpers/gitops.js';
import { createOrigin } from './helpers/jenkins.js';
import { initToolkit } from './helpers/toolkit.js';

/**
 * Rollback by reset (issue #13 §4): allowed per environment by the policy (default: draft stages
 * only), refused by pre-push elsewhere, and plan/deploy right when the last deploy tag is no longer
 * an ancestor of the branch.
 */
const FRAUD_AGENT =
  'spec_version: v1\nkind: native\nname: fraud_screening_agent\ndescription: Screens new claims for fraud indicators.\nllm: ${values.llm.default}\ntools:\n  - get_claim_status\n';
const TRIAGE_AGENT =
  'spec_version: v1\nkind: native\nname: triage_agent\ndescription: Routes new claims.\nllm: ${values.llm.default}\ntools: []\n';

function deployed(world: DeployWorld): string[] {
  world.fake.clearLog();
  const r = world.cli(['deploy']);
  if (r.status !== 0) throw new Error(r.output);
  // The deploy's operations; its post-deploy verification reads (list -v, agents export) left out.
  return world.fake.commands().filter((c) => !c.startsWith('env ') && !isLiveRead(c));
}

describe('rollback --to TAG --reset', () => {
  it('moves a draft environment back to the tag, keeps the old head, and plans the removals', { timeout: 240_000 }, () => {
    const world = deployWorld({ deployed: 'develop' });
    const { repo } = world;
    expect(world.firstDeploy!.stdout).toContain('tagged v1.4.0-dev');
    repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    repo.commitAll('fraud screening agent');
    expect(deployed(world)).toEqual(['agents import -f agents/fraud_screening_agent.yaml']);
    const oldHead = repo.run('rev-parse', 'HEAD').trim();

    const r = world.cli(['rollback', '--to', 'v1.4.0-dev', '--reset']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `develop reset to v1.4.0-dev: 1 commit left the branch (the old head ${oldHead.slice(0, 12)} is kept as refs/wxo-policy/before-reset/develop)`,
    );
    expect(r.stdout).toContain("the last deploy v1.4.0-dev.2 is not in this branch's history (a reset or a force-push)");
    expect(r.stdout).toContain('base: v1.4.0-dev.2');
    expect(r.stdout).toContain('remove agent fraud_screening_agent');
    expect(r.stdout).toContain(`git push --force-with-lease=develop:${oldHead} origin develop`);
    expect(repo.run('rev-parse', 'HEAD').trim()).toBe(repo.run('rev-parse', 'v1.4.0-dev^{commit}').trim());
    expect(repo.run('rev-parse', 'refs/wxo-policy/before-reset/develop').trim()).toBe(oldHead);

    // The deploy removes what the dropped commit added, and records the reset state.
    expect(deployed(world)).toEqual(['agents remove -n fraud_screening_agent -k native']);
    expect(repo.run('tag', '--points-at', 'HEAD').trim().split('\n').sort()).toEqual(['v1.4.0-dev', 'v1.4.0-dev.3']);
  });

  it('plans against the last deploy when the branch was reset by hand and moved on: removals and additions', { timeout: 240_000 }, () => {
    const world = deployWorld({ deployed: 'develop' });
    const { repo } = world;
    repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    repo.commitAll('fraud screening agent');
    expect(world.cli(['deploy']).stdout).toContain('tagged v1.4.0-dev.2');
    repo.run('reset', '-q', '--hard', 'v1.4.0-dev');
    repo.write({ 'agents/triage_agent.yaml': TRIAGE_AGENT });
    repo.commitAll('triage agent instead');
    const plan = world.cli(['plan']);
    expect(plan.status).toBe(0);
    expect(plan.stderr).toContain("the last deploy v1.4.0-dev.2 is not in this branch's history");
    expect(plan.stdout).toContain('base: v1.4.0-dev.2');
    expect(plan.stdout).toContain('changes: 1 added, 0 changed, 1 removed');
    expect(deployed(world)).toEqual(['agents import -f agents/triage_agent.yaml', 'agents remove -n fraud_screening_agent -k native']);
  });

  it('is refused on a live stage unless the policy allows it, and on a dirty tree', { timeout: 240_000 }, () => {
    const world = deployWorld({ deployed: 'qa-1.4.0' });
    const { repo } = world;
    repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    repo.commitAll('fraud screening agent');
    const head = repo.run('rev-parse', 'HEAD').trim();
    const live = world.cli(['rollback', '--to', 'v1.4.0-qa', '--reset']);
    expect(live.status).toBe(2);
    expect(live.stderr).toContain('rollback by reset is not allowed on qa (live stage)');
    expect(live.stderr).toContain('`wxo-policy rollback --to v1.4.0-qa`');
    expect(repo.run('rev-parse', 'HEAD').trim()).toBe(head);

    repo.run('switch', '-q', 'develop');
    repo.write({ 'agents/triage_agent.yaml': TRIAGE_AGENT });
    repo.commitAll('triage');
    expect(world.cli(['deploy']).status).toBe(0);
    repo.write({ 'agents/triage_agent.yaml': `${TRIAGE_AGENT}# local\n` });
    const dirty = world.cli(['rollback', '--to', 'v1.4.0-dev', '--reset']);
    expect(dirty.status).toBe(2);
    expect(dirty.stderr).toContain('uncommitted change');
  });
});

describe('the deploy record names who approved', () => {
  it('records WXO_POLICY_APPROVED_BY (the Jenkins approval gate’s answer) on one line', { timeout: 240_000 }, () => {
    const world = deployWorld();
    const r = world.cli(['deploy'], { WXO_POLICY_APPROVED_BY: 'carol\nforged: line' });
    expect(r.status).toBe(0);
    const message = world.repo.run('tag', '-l', '--format=%(contents)', 'v1.4.0-dev');
    expect(message).toContain('\napproved by: carol forged: line\n');
    expect(message).not.toMatch(/^forged:/m);
    // Without an approval (a draft deploy), no such line.
    world.repo.write({ 'agents/fraud_screening_agent.yaml': FRAUD_AGENT });
    world.repo.commitAll('fraud screening agent');
    expect(world.cli(['deploy']).status).toBe(0);
    expect(world.repo.run('tag', '-l', '--format=%(contents)', 'v1.4.0-dev.2')).not.toContain('approved by');
  });
});

describe('pre-push and force-pushes to environment branches', () => {
  function setUp(policyEdit = (p: string) => p) {
    const origin = createOrigin('develop');
    const dev = origin.dev;
    const files = minimalGitops('dev-qa-tenant', '1.2.3');
    dev.write({ ...files, 'wxo-policy.yaml': policyEdit(files['wxo-policy.yaml']!) });
    initToolkit(dev);
    dev.run('add', '-A');
    expect(dev.attempt('commit', '-qm', 'initial').status).toBe(0);
    dev.run('tag', '-a', '-m', 'deploy record', 'v1.2.3-dev');
    expect(dev.attempt('push', '-q', 'origin', 'develop', 'v1.2.3-dev').status).toBe(0);
    // One more change on develop, merged the way changes reach it.
    dev.run('switch', '-q', '-c', 'feature/more');
    dev.write({
      'agents/more.yaml': 'spec_version: v1\nkind: native\nname: more\ndescription: More\nllm: ${values.llm.default}\ntools: []\n',
    });
    dev.run('add', '-A');
    expect(dev.attempt('commit', '-qm', 'more').status).toBe(0);
    dev.run('switch', '-q', 'develop');
    dev.run('merge', '-q', '--no-ff', '--no-edit', 'feature/more');
    expect(dev.attempt('push', '-q', 'origin', 'develop').status).toBe(0);
    return { origin, dev };
  }

  it('allows a force-push of a draft environment back onto one of its deploy tags, nothing else', { timeout: 240_000 }, () => {
    const { origin, dev } = setUp();
    const ahead = dev.run('rev-parse', 'HEAD').trim();
    dev.run('reset', '-q', '--hard', 'HEAD~1');
    // HEAD~1 is feature/more's parent on develop = the tagged commit.
    const untagged = dev.attempt('push', '-q', '--force', 'origin', 'feature/more:develop');
    expect(untagged.status).not.toBe(0);
    expect(untagged.stderr).toContain('force-push to develop refused: a rollback by reset must put develop on a deploy tag of dev');
    const ok = dev.attempt('push', '-q', `--force-with-lease=develop:${ahead}`, 'origin', 'develop');
    expect(ok.stderr).not.toContain('refused');
    expect(ok.status).toBe(0);
    expect(dev.run('ls-remote', origin.bare, 'refs/heads/develop').split('\t')[0]).toBe(dev.run('rev-parse', 'v1.2.3-dev^{commit}').trim());
  });

  it('refuses rewriting a live environment branch unless the policy sets allow_reset', { timeout: 240_000 }, () => {
    for (const allow of [false, true]) {
      const { origin, dev } = setUp(
        allow
          ? (p) =>
              p.replace('    stage: live\n    tag: v{version}-qa\n', '    stage: live\n    tag: v{version}-qa\n    allow_reset: true\n')
          : undefined,
      );
      dev.run('switch', '-q', '-c', 'qa-1.2.3', 'v1.2.3-dev');
      dev.run('tag', '-a', '-m', 'deploy record', 'v1.2.3-qa');
      expect(dev.attempt('push', '-q', 'origin', 'qa-1.2.3', 'v1.2.3-qa').status).toBe(0);
      dev.run('merge', '-q', '--no-ff', '--no-edit', 'develop');
      expect(dev.attempt('push', '-q', 'origin', 'qa-1.2.3').status).toBe(0);
      dev.run('reset', '-q', '--hard', 'v1.2.3-qa');
      const r = dev.attempt('push', '-q', '--force', 'origin', 'qa-1.2.3');
      if (allow) {
        expect(r.status, r.stderr).toBe(0);
      } else {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('force-push to qa-1.2.3 refused: it rewrites the history of qa');
        expect(r.stderr).toContain('wxo-policy rollback --to TAG');
        expect(dev.run('ls-remote', origin.bare, 'refs/heads/qa-1.2.3').split('\t')[0]).not.toBe(dev.run('rev-parse', 'HEAD').trim());
      }
    }
  });
});
