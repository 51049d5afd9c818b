import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/** `wxo-policy docs` (issue #13 §2): runbooks and procedures generated from the policy, checkable. */

function repoWith(policy = minimalGitops()['wxo-policy.yaml']!) {
  const repo = createRepo({ branch: 'develop' });
  repo.write({ ...minimalGitops(), 'wxo-policy.yaml': policy });
  repo.commitAll('init');
  return repo;
}

describe('wxo-policy docs', () => {
  it('writes a runbook per tenant, the branch workflow, the conflict strategy and rollback procedures', () => {
    const repo = repoWith(
      minimalGitops()
        ['wxo-policy.yaml']!.replace(
          '      api_key_secret: WXO_PROD_API_KEY\n',
          '      api_key_secret: WXO_PROD_API_KEY\n    owners: ["@acme/prod-owners"]\n',
        )
        .replace(
          '{ from: staging, to: prod, same_version: true, approval: true }',
          '{ from: staging, to: prod, same_version: true, approval: true, approvers: [carol] }',
        ),
    );
    const r = runCli(['docs'], { cwd: repo.dir, env: repo.env });
    expect(r.status).toBe(0);
    expect(readdirSync(join(repo.dir, 'docs')).sort()).toEqual([
      'README.md',
      'branch-workflow.md',
      'merge-conflicts.md',
      'rollback.md',
      'runbook-dev-qa-tenant.md',
      'runbook-prod-tenant.md',
    ]);
    const prod = readFileSync(join(repo.dir, 'docs/runbook-prod-tenant.md'), 'utf8');
    expect(prod).toContain('the "Secret text" credential `wxo-prod-api-key`, bound as `WXO_PROD_API_KEY`');
    expect(prod).toContain('| prod | `main` | live | `vX.Y.Z` (`.2`, `.3` … for redeploys) | yes: `carol` | not allowed |');
    expect(prod).toContain('| staging | `staging-X.Y.Z` | draft |');
    expect(prod).toContain(
      '- prod: `wxo-policy rollback --to vX.Y.Z` (reverts) only — reset and force-push are refused on this environment.',
    );
    expect(prod).toContain('`wxo-policy drift --env staging`');
    expect(prod).toContain('Owners (CODEOWNERS of its tenant files): `@acme/prod-owners`.');
    expect(prod).not.toContain('qa-X.Y.Z |');
    const devqa = readFileSync(join(repo.dir, 'docs/runbook-dev-qa-tenant.md'), 'utf8');
    expect(devqa).toContain('`wxo-dev-qa-api-key`');
    expect(devqa).toContain(
      '- dev: `wxo-policy rollback --to vX.Y.Z-dev` (reverts, reviewed like any change) or `wxo-policy rollback --to vX.Y.Z-dev --reset`',
    );
    const workflow = readFileSync(join(repo.dir, 'docs/branch-workflow.md'), 'utf8');
    expect(workflow).toContain('| qa (`qa-X.Y.Z`) | staging (`staging-X.Y.Z`) | yes | 2 | yes |');
    expect(workflow).toContain('| staging (`staging-X.Y.Z`) | prod (`main`) | yes | 2 (`carol`) | yes |');
    expect(workflow).toContain('| `feature/*` | dev (`develop`) | no | 1 | no |');
    const conflicts = readFileSync(join(repo.dir, 'docs/merge-conflicts.md'), 'utf8');
    expect(conflicts).toContain(
      "qa (`qa-X.Y.Z`) → staging (`staging-X.Y.Z`) crosses from tenant `dev-qa-tenant` to `prod-tenant`: the `wxo-tenant` driver keeps the target's `tenant.yaml`, `values.yaml`.",
    );
    const rollback = readFileSync(join(repo.dir, 'docs/rollback.md'), 'utf8');
    expect(rollback).toContain('| qa | `qa-X.Y.Z` | no |');
    expect(rollback).toContain('| dev | `develop` | yes |');
  });

  it('--check exits 0 when the committed docs match, 1 naming what changed or is missing', () => {
    const repo = repoWith();
    expect(runCli(['docs', '--output', 'ops'], { cwd: repo.dir, env: repo.env }).status).toBe(0);
    repo.commitAll('docs');
    const ok = runCli(['docs', '--output', 'ops', '--check'], { cwd: repo.dir, env: repo.env });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('ops: the 6 generated documents match the policy');
    // The policy changes (qa may now be reset): the committed docs are stale.
    repo.write({
      'wxo-policy.yaml': minimalGitops()['wxo-policy.yaml']!.replace(
        '    stage: live\n    tag: v{version}-qa\n',
        '    stage: live\n    tag: v{version}-qa\n    allow_reset: true\n',
      ),
    });
    rmSync(join(repo.dir, 'ops/merge-conflicts.md'));
    repo.commitAll('allow reset on qa');
    const stale = runCli(['docs', '--output', 'ops', '--check'], { cwd: repo.dir, env: repo.env });
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('differs  ops/runbook-dev-qa-tenant.md');
    expect(stale.stdout).toContain('differs  ops/rollback.md');
    expect(stale.stdout).toContain('missing  ops/merge-conflicts.md');
    expect(stale.stdout).not.toContain('runbook-prod-tenant.md');
    expect(stale.stdout).toContain('Run `wxo-policy docs --output ops` and commit the result.');
    // Nothing was written by --check.
    expect(existsSync(join(repo.dir, 'ops/merge-conflicts.md'))).toBe(false);
  });

  it('--check --if-present (the Jenkinsfile step): passes without generated docs, checks them once one exists', () => {
    const repo = repoWith();
    // A docs/ of the team's own (no generated marker) is not ours to judge.
    repo.write({ 'docs/README.md': '# Our docs\n' });
    repo.commitAll('own docs');
    const none = runCli(['docs', '--check', '--if-present'], { cwd: repo.dir, env: repo.env });
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('docs: no documents generated by `wxo-policy docs` here, nothing to check (--if-present)');
    // Without --if-present the same tree fails: the step would break every repository without docs.
    expect(runCli(['docs', '--check'], { cwd: repo.dir, env: repo.env }).status).toBe(1);
    expect(runCli(['docs', '--if-present'], { cwd: repo.dir, env: repo.env }).status).toBe(2);
    expect(runCli(['docs'], { cwd: repo.dir, env: repo.env }).status).toBe(0);
    repo.commitAll('generated docs');
    expect(runCli(['docs', '--check', '--if-present'], { cwd: repo.dir, env: repo.env }).stdout).toContain(
      'docs: the 6 generated documents match the policy',
    );
    // The policy changes in a pull request without its docs: the step fails and names them.
    repo.write({
      'wxo-policy.yaml': minimalGitops()['wxo-policy.yaml']!.replace(
        '    stage: live\n    tag: v{version}-qa\n',
        '    stage: live\n    tag: v{version}-qa\n    allow_reset: true\n',
      ),
    });
    repo.commitAll('allow reset on qa');
    const stale = runCli(['docs', '--check', '--if-present'], { cwd: repo.dir, env: repo.env });
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('differs  docs/rollback.md');
  });

  it('never writes outside the repository, through a symlink or --output', () => {
    const repo = repoWith();
    const outside = tempDir();
    const away = runCli(['docs', '--output', outside], { cwd: repo.dir, env: repo.env });
    expect(away.status).toBe(2);
    expect(away.stderr).toContain('is outside the repository');
    expect(runCli(['docs', '--output', '../x'], { cwd: repo.dir, env: repo.env }).status).toBe(2);
    symlinkSync(outside, join(repo.dir, 'docs'));
    const linked = runCli(['docs'], { cwd: repo.dir, env: repo.env });
    expect(linked.status).toBe(2);
    expect(linked.stderr).toContain('refusing to write docs/README.md');
    expect(readdirSync(outside)).toEqual([]);
    mkdirSync(join(repo.dir, 'sub'));
    writeFileSync(join(repo.dir, 'sub/keep'), '');
    // From a subdirectory the default is still the repository's docs/ … which is the symlink here.
    expect(runCli(['docs'], { cwd: join(repo.dir, 'sub'), env: repo.env }).status).toBe(2);
  });
});
