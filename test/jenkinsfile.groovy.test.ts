import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT } from './helpers/cli.js';
import { minimalGitops } from './helpers/gitops.js';
import { createRepo } from './helpers/repo.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The shipped Jenkinsfile, run (issue #13 §3): Debian's groovy executes policies/Jenkinsfile against
 * a stand-in of the declarative DSL (test/fixtures/jenkins/pipeline-harness.groovy), once per kind
 * of build. `npx wxo-policy environment` really runs the CLI on a repository with the policy.
 */

function hasGroovy(): boolean {
  const found = spawnSync('groovy', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('groovy is missing: .ci/run installs it (apt-get install groovy)');
  return found;
}

interface Event {
  stage?: string;
  skipped?: boolean;
  step?: string;
  script?: string;
  credentials?: string[];
  lock?: string;
  env?: string[];
  submitter?: string;
  message?: string;
  error?: string;
}

const JENKINS = { JENKINS_URL: 'http://jenkins.test/', BUILD_URL: 'http://jenkins.test/job/agents/1/' };
const BUILDS: Record<string, Record<string, string>> = {
  develop: { BRANCH_NAME: 'develop' },
  'qa-1.2.3': { BRANCH_NAME: 'qa-1.2.3' },
  'staging-1.2.3': { BRANCH_NAME: 'staging-1.2.3' },
  main: { BRANCH_NAME: 'main' },
  'PR into develop': { BRANCH_NAME: 'PR-7', CHANGE_ID: '7', CHANGE_BRANCH: 'feature/login', CHANGE_TARGET: 'develop' },
  'PR into qa-1.2.3': { BRANCH_NAME: 'PR-8', CHANGE_ID: '8', CHANGE_BRANCH: 'develop', CHANGE_TARGET: 'qa-1.2.3' },
  'PR into staging-1.2.3': { BRANCH_NAME: 'PR-9', CHANGE_ID: '9', CHANGE_BRANCH: 'qa-1.2.3', CHANGE_TARGET: 'staging-1.2.3' },
  'PR into main': { BRANCH_NAME: 'PR-10', CHANGE_ID: '10', CHANGE_BRANCH: 'staging-1.2.3', CHANGE_TARGET: 'main' },
  'tag v1.2.3': { BRANCH_NAME: 'v1.2.3', TAG_NAME: 'v1.2.3' },
  'feature/login': { BRANCH_NAME: 'feature/login' },
  // Builds the cron trigger starts: the scheduled drift check (qa's finds drift: exit 1).
  'develop (timer)': { BRANCH_NAME: 'develop' },
  'main (timer)': { BRANCH_NAME: 'main' },
  'qa-1.2.3 (timer, drift)': { BRANCH_NAME: 'qa-1.2.3' },
};
const TIMER: Record<string, { causes: string[]; status?: Record<string, number> }> = {
  'develop (timer)': { causes: ['timer'] },
  'main (timer)': { causes: ['timer'] },
  'qa-1.2.3 (timer, drift)': { causes: ['timer'], status: { 'npx wxo-policy drift': 1 } },
};

const CHECK = 'npx wxo-policy check --ci --output reports/wxo-policy.xml --output reports/wxo-policy.sarif';
const DOCS = 'npx wxo-policy docs --check --if-present';
const DEPLOY = 'npx wxo-policy deploy --push-tags';
const DRIFT = (env: string) => `npx wxo-policy drift --env ${env} --output reports/drift.xml`;
const PROD_KEY = 'wxo-prod-api-key:WXO_PROD_API_KEY';

describe.skipIf(!hasGroovy())('the Jenkinsfile under groovy, per build kind', () => {
  let runs: Record<string, Event[]> = {};

  beforeAll(() => {
    const repo = createRepo({ branch: 'develop' });
    const policy = minimalGitops()
      ['wxo-policy.yaml']!.replace(
        '{ from: qa, to: staging, same_version: true, approval: true }',
        '{ from: qa, to: staging, same_version: true, approval: true, approvers: ["@acme/release"] }',
      )
      .replace(
        '{ from: staging, to: prod, same_version: true, approval: true }',
        '{ from: staging, to: prod, same_version: true, approval: true, approvers: [carol, "@acme/release"] }',
      );
    repo.write({ ...minimalGitops(), 'wxo-policy.yaml': policy });
    repo.commitAll('init');
    const dir = tempDir();
    const buildsFile = join(dir, 'builds.json');
    writeFileSync(
      buildsFile,
      JSON.stringify(
        Object.entries(BUILDS).map(([name, env]) => ({ name, env: { ...JENKINS, ...env }, approver: 'carol', ...(TIMER[name] ?? {}) })),
      ),
    );
    const r = spawnSync(
      'groovy',
      [
        join(PROJECT_ROOT, 'test/fixtures/jenkins/pipeline-harness.groovy'),
        join(PROJECT_ROOT, 'policies/Jenkinsfile'),
        buildsFile,
        CLI,
        repo.dir,
      ],
      {
        encoding: 'utf8',
        env: { ...repo.env, JAVA_OPTS: '-Xshare:auto' },
        timeout: 180_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    runs = JSON.parse(r.stdout);
  }, 200_000);

  const stagesRun = (build: string) => runs[build]!.filter((e) => e.stage && !e.skipped).map((e) => e.stage);
  const shOf = (build: string) => runs[build]!.filter((e) => e.step === 'sh');
  const deploys = (build: string) => shOf(build).filter((e) => e.script === DEPLOY);

  it('runs every build without an unknown step or a failure', () => {
    expect(Object.keys(runs)).toEqual(Object.keys(BUILDS));
    for (const [name, events] of Object.entries(runs))
      expect(
        events.filter((e) => e.error),
        name,
      ).toEqual([]);
  });

  it('environment branches: install, check, plan, deploy — exact commands', () => {
    for (const b of ['develop', 'qa-1.2.3', 'staging-1.2.3', 'main']) {
      expect(
        stagesRun(b).filter((s) => ['Install', 'Check', 'Plan', 'Deploy'].includes(s!)),
        b,
      ).toEqual(['Install', 'Check', 'Plan', 'Deploy']);
      const scripts = shOf(b).map((e) => e.script);
      expect(scripts.slice(0, 3), b).toEqual(['npm ci', 'npx wxo-policy environment', CHECK]);
      expect(scripts).toContain('npx wxo-policy plan');
      expect(deploys(b), b).toHaveLength(1);
    }
    const check = runs.develop!.findIndex((e) => e.stage === 'Check');
    expect(runs.develop!.slice(check).filter((e) => e.step === 'junit')[0]).toMatchObject({ step: 'junit' });
  });

  it('binds the tenant’s credential and the environment’s lock around the deploy only', () => {
    expect(deploys('develop')[0]).toMatchObject({ credentials: ['wxo-dev-qa-api-key:WXO_DEV_QA_API_KEY'], lock: 'wxo-deploy-dev' });
    expect(deploys('qa-1.2.3')[0]).toMatchObject({ credentials: ['wxo-dev-qa-api-key:WXO_DEV_QA_API_KEY'], lock: 'wxo-deploy-qa' });
    expect(deploys('staging-1.2.3')[0]).toMatchObject({ credentials: [PROD_KEY], lock: 'wxo-deploy-staging' });
    expect(deploys('main')[0]).toMatchObject({ credentials: [PROD_KEY], lock: 'wxo-deploy-prod' });
    // The drift check reads the tenant with the same key; nothing else sees it.
    expect(shOf('develop').find((e) => e.script === DRIFT('dev'))).toMatchObject({
      credentials: ['wxo-dev-qa-api-key:WXO_DEV_QA_API_KEY'],
    });
    expect(shOf('main').find((e) => e.script === DRIFT('prod'))).toMatchObject({ credentials: [PROD_KEY] });
    for (const b of Object.keys(BUILDS))
      for (const e of shOf(b).filter((x) => x.script !== DEPLOY && !x.script?.startsWith('npx wxo-policy drift ')))
        expect(e.credentials, `${b}: ${e.script}`).toBeUndefined();
  });

  it('the approval gate guards every production-tenant deploy, names the policy’s approvers and records the approver', () => {
    for (const b of Object.keys(BUILDS)) {
      const events = runs[b]!;
      events.forEach((e, i) => {
        if (e.script !== DEPLOY || !e.credentials?.includes(PROD_KEY)) return;
        const gate = events.slice(0, i).find((x) => x.step === 'input');
        expect(gate, `${b}: a prod deploy without an approval`).toBeDefined();
        expect(e.env).toContain('WXO_POLICY_APPROVED_BY=carol');
      });
    }
    expect(runs.main!.find((e) => e.step === 'input')).toMatchObject({
      message: 'Deploy main to prod-tenant?',
      submitter: 'carol,acme/release',
    });
    expect(runs['staging-1.2.3']!.find((e) => e.step === 'input')).toMatchObject({ submitter: 'acme/release' });
    expect(stagesRun('develop')).not.toContain('Approve');
    expect(stagesRun('qa-1.2.3')).not.toContain('Approve');
  });

  it('no plan, approval or deploy for a pull request, a tag or a feature branch — checked only', () => {
    for (const b of ['PR into develop', 'PR into qa-1.2.3', 'PR into staging-1.2.3', 'PR into main', 'tag v1.2.3', 'feature/login']) {
      expect(stagesRun(b), b).toEqual(expect.arrayContaining(['Install', 'Check']));
      for (const s of ['Plan', 'Approve', 'Deploy']) expect(stagesRun(b), `${b}: ${s}`).not.toContain(s);
      expect(deploys(b), b).toEqual([]);
      expect(
        runs[b]!.some((e) => e.step === 'input'),
        b,
      ).toBe(false);
      expect(shOf(b).map((e) => e.script)).toContain(CHECK);
    }
  });

  it('every build keeps the generated runbooks true: docs --check right after check, in the Check stage', () => {
    for (const b of Object.keys(BUILDS)) {
      const scripts = shOf(b).map((e) => e.script);
      expect(scripts.indexOf(DOCS), b).toBe(scripts.indexOf(CHECK) + 1);
      const events = runs[b]!;
      const docsAt = events.findIndex((e) => e.script === DOCS);
      const stageOf = events
        .slice(0, docsAt)
        .filter((e) => e.stage && !e.skipped)
        .at(-1);
      expect(stageOf?.stage, b).toBe('Check');
      expect(events[docsAt]!.credentials, b).toBeUndefined();
    }
  });

  it('environment branches get a cron trigger; a timer build checks drift and publishes the board, never approves or deploys', () => {
    const triggersOf = (b: string) => runs[b]!.find((e) => e.step === 'properties') as { triggers?: { cron: string }[] } | undefined;
    for (const b of ['develop', 'qa-1.2.3', 'staging-1.2.3', 'main'])
      expect(triggersOf(b)?.triggers, b).toEqual([{ cron: 'H/30 * * * *' }]);
    for (const b of ['feature/login', 'tag v1.2.3']) expect(triggersOf(b)?.triggers, b).toEqual([]);
    for (const b of ['PR into develop', 'PR into main']) {
      expect(triggersOf(b), b).toBeUndefined();
      for (const s of ['Drift', 'Status board']) expect(stagesRun(b), `${b}: ${s}`).not.toContain(s);
    }
    for (const b of ['develop (timer)', 'main (timer)', 'qa-1.2.3 (timer, drift)']) {
      expect(stagesRun(b), b).toEqual(expect.arrayContaining(['Drift', 'Status board']));
      for (const s of ['Approve', 'Deploy']) expect(stagesRun(b), `${b}: ${s}`).not.toContain(s);
      expect(
        runs[b]!.some((e) => e.step === 'input'),
        b,
      ).toBe(false);
      expect(deploys(b), b).toEqual([]);
    }
    expect(shOf('main (timer)').map((e) => e.script)).toContain(DRIFT('prod'));
    expect(runs['qa-1.2.3 (timer, drift)']!.find((e) => e.step === 'unstable')).toMatchObject({
      message: 'the tenant of qa drifted from its last deploy tag',
    });
    expect(runs['develop (timer)']!.some((e) => e.step === 'unstable')).toBe(false);
    expect(runs.develop!.find((e) => e.step === 'publishHTML')).toMatchObject({
      target: { reportDir: 'reports', reportFiles: 'status.html', reportName: 'wxo-policy status' },
    });
    expect(shOf('develop').map((e) => e.script)).toContain('npx wxo-policy status --format html --output reports/status.html');
  });
});
