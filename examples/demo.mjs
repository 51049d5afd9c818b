#!/usr/bin/env node
// `npm run demo`: the whole life cycle on the example GitOps repository, in a temporary directory.
// Real git, the hooks really installed, the built CLI — and a stand-in `orchestrate` on PATH that
// records its calls (the real CLI is a Python package this demo does not install).
//
//   node examples/demo.mjs [--keep]     (--keep leaves the temporary directory for a look around)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(PROJECT, 'bin', 'wxo-policy.js');
const keep = process.argv.includes('--keep');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (color ? `\x1b[2m${s}\x1b[22m` : s);
const started = Date.now();

const work = mkdtempSync(join(tmpdir(), 'wxo-policy-demo-'));
const origin = join(work, 'origin.git');
const repo = join(work, 'meridian-agents');
const bin = join(work, 'bin');
const home = join(work, 'home');
mkdirSync(bin);
mkdirSync(home);

// Fake secrets for the stand-in, made up on the spot: the tenant API keys and connection credentials.
const secret = () => randomBytes(18).toString('base64url');
const secretNames = [
  ...new Set(
    [
      readFileSync(join(PROJECT, 'examples/gitops-repo/tenant.yaml'), 'utf8'),
      readFileSync(join(PROJECT, 'examples/prod-overlay/tenant.yaml'), 'utf8'),
      ...['claims_core', 'meridian_crm', 'policy_admin', 'roadside_partner'].map((c) =>
        readFileSync(join(PROJECT, `examples/gitops-repo/connections/${c}.yaml`), 'utf8'),
      ),
    ]
      .join('\n')
      .match(/\$\{[A-Z][A-Z0-9_]*\}/g)
      .map((m) => m.slice(2, -1)),
  ),
];
const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GIT_|CI$|JENKINS|BRANCH_NAME|CHANGE_|TAG_NAME|HUSKY|WXO_)/.test(k)),
  ),
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Dana Developer',
  GIT_AUTHOR_EMAIL: 'dana@meridian.example',
  GIT_COMMITTER_NAME: 'Dana Developer',
  GIT_COMMITTER_EMAIL: 'dana@meridian.example',
  PATH: `${bin}${delimiter}${process.env.PATH}`,
  FAKE_ORCHESTRATE_LOG: join(work, 'orchestrate-calls.jsonl'),
  FAKE_ORCHESTRATE_STATE: join(work, 'orchestrate-state.json'),
  FAKE_ORCHESTRATE_PROJECT: PROJECT,
  ...Object.fromEntries(secretNames.map((n) => [n, secret()])),
};
copyFileSync(join(PROJECT, 'examples', 'orchestrate-stand-in.cjs'), join(bin, 'orchestrate'));
chmodSync(join(bin, 'orchestrate'), 0o755);

// A local webhook receiver stands where Slack or Teams would: the policy's notifications go to it.
const received = join(work, 'webhook-received.jsonl');
const receiver = spawn(process.execPath, [join(PROJECT, 'examples', 'webhook-receiver.mjs'), '--log', received], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
env.WXO_ALERTS_WEBHOOK_URL = await new Promise((resolveUrl, reject) => {
  let text = '';
  receiver.stdout.on('data', (d) => {
    text += d;
    const m = /listening (http:\/\/\S+)/.exec(text);
    if (m) resolveUrl(`${m[1]}/services/alerts`);
  });
  receiver.once('exit', (code) => reject(new Error(`the webhook receiver exited ${code}`)));
});
const NOTIFICATIONS = `
# Alerts: drift, failed deploys and rollbacks go to the team's webhook (its URL is a secret).
notifications:
  timeout_seconds: 5
  targets:
    - name: team-alerts
      type: json
      url_secret: WXO_ALERTS_WEBHOOK_URL
      events: [deploy_failed, rollback, drift_found, drift_cleared]
`;
function showReceived(since) {
  const lines = existsSync(received) ? readFileSync(received, 'utf8').split('\n').filter(Boolean) : [];
  for (const line of lines.slice(since)) {
    const { path, body } = JSON.parse(line);
    const e = JSON.parse(body);
    console.log(`  webhook POST ${path}: ${bold(e.event)} — ${e.title}`);
  }
  return lines.length;
}

let stepNo = 0;
function step(title, why) {
  stepNo++;
  console.log(`\n${bold(`━━ ${stepNo}. ${title}`)}${why ? `\n${dim(why)}` : ''}`);
}
/** Runs a command in the repository, echoing it and its output; returns the exit status. */
function sh(argv, { cwd = repo, expect = 0, quiet = false, keep = () => true } = {}) {
  console.log(dim(`$ ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`));
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`.trimEnd().split('\n').filter(keep).join('\n');
  if (output && !quiet) console.log(output.replace(/^/gm, '  '));
  if (expect !== undefined && r.status !== expect) {
    console.error(`\ndemo: expected exit ${expect} from ${argv.join(' ')}, got ${r.status}`);
    process.exit(1);
  }
  return r.status;
}
const git = (...a) => execFileSync('git', a, { cwd: repo, env, encoding: 'utf8' }).trim();
const wxo = (args, options) => sh(['wxo-policy', ...args], options);
writeFileSync(join(bin, 'wxo-policy'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
chmodSync(join(bin, 'wxo-policy'), 0o755);
/** After the first deploy, each deploy is shown by its operations, without each call's output. */
const operationsOnly = (line) => !/^\s+(\$ orchestrate|│|✓ \d)/.test(line);
function countCalls() {
  const calls = readFileSync(env.FAKE_ORCHESTRATE_LOG, 'utf8').split('\n').filter(Boolean).length;
  console.log(dim(`  (the stand-in orchestrate has recorded ${calls} calls so far, in ${env.FAKE_ORCHESTRATE_LOG})`));
}

try {
  step(
    'A GitOps repository',
    'The example (agents, tools, a flow, a knowledge base, connection templates) on develop, a bare origin, and wxo-policy installed the way `npm install` would (prepare → husky + wxo-policy install).',
  );
  execFileSync('git', ['init', '-q', '--bare', origin], { env });
  mkdirSync(repo);
  cpSync(join(PROJECT, 'examples', 'gitops-repo'), repo, { recursive: true });
  git('init', '-q', '-b', 'develop');
  git('remote', 'add', 'origin', origin);
  mkdirSync(join(repo, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(PROJECT, join(repo, 'node_modules', 'wxo-policy'));
  for (const dep of ['husky', 'lint-staged']) symlinkSync(join(PROJECT, 'node_modules', dep), join(repo, 'node_modules', dep));
  wxo(['init']);
  writeFileSync(join(repo, 'wxo-policy.yaml'), readFileSync(join(repo, 'wxo-policy.yaml'), 'utf8') + NOTIFICATIONS);
  git('add', '-A');
  sh(['git', 'commit', '-q', '-m', 'Meridian customer care agents']);
  sh(['git', 'push', '-q', 'origin', 'develop']);
  // main holds the production tenant's files; the platform team bootstraps it once.
  git('switch', '-q', '-c', 'main');
  for (const f of ['tenant.yaml', 'values.yaml']) copyFileSync(join(PROJECT, 'examples', 'prod-overlay', f), join(repo, f));
  git('commit', '-q', '--no-verify', '-am', 'Bootstrap main with the prod tenant files');
  sh(['git', 'push', '-q', 'origin', 'main']);
  git('switch', '-q', 'develop');
  wxo(['doctor'], { expect: undefined });

  step(
    'A commit with a secret is refused',
    'A developer pastes a real-looking key into a tool. The pre-commit hook (run by git itself) judges the staged content.',
  );
  git('switch', '-q', '-c', 'feature/claims-lookup');
  const toolFile = join(repo, 'tools', 'get_claim_status', 'get_claim_status.py');
  const original = readFileSync(toolFile, 'utf8');
  writeFileSync(toolFile, `${original}\n# temporary, remove before merge\nCLAIMS_API_TOKEN = "${randomBytes(24).toString('base64url')}"\n`);
  git('add', '-A');
  sh(['git', 'commit', '-q', '-m', 'Call the claims API'], { expect: 1 });
  writeFileSync(toolFile, `${original}\n# The claims core caches status lookups for 60 seconds.\n`);
  git('add', '-A');
  sh(['git', 'commit', '-q', '-m', 'Clearer tool description']);
  git('switch', '-q', 'develop');
  sh(['git', 'merge', '-q', '--no-ff', '--no-edit', 'feature/claims-lookup']);
  sh(['git', 'push', '-q', 'origin', 'develop']);

  step(
    'Deploy develop (dev/qa tenant, Draft)',
    'The first deploy imports everything: connections without their credentials, then set-credentials per environment, tools, the flow, the knowledge base (tenant-wide), agents.',
  );
  wxo(['deploy', '--push-tags']);
  countCalls();

  step(
    'Promote develop → qa-1.4.0 and deploy (Live)',
    'Same tenant: cutting qa-1.4.0 from develop is the promotion. The live stage also runs `agents deploy`.',
  );
  wxo(['promote', '--push']);
  wxo(['deploy', '--push-tags'], { keep: operationsOnly });
  countCalls();

  step(
    'Promote qa-1.4.0 → staging-1.4.0: crossing into the prod tenant',
    'staging-1.4.0 starts from main, the merge keeps its tenant.yaml and values.yaml. The check that Jenkins runs on such a pull request shows the approval gate.',
  );
  wxo(['promote', '--push']);
  console.log(dim('  tenant.yaml on staging-1.4.0:'));
  console.log(
    git('show', 'staging-1.4.0:tenant.yaml')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => `    ${l}`)
      .join('\n'),
  );
  wxo(['deploy', '--push-tags'], { keep: operationsOnly });
  countCalls();

  step('Promote staging-1.4.0 → main and deploy to production (Live)');
  wxo(['promote', '--push']);
  wxo(['deploy', '--push-tags'], { keep: operationsOnly });
  countCalls();

  step('The deploy tags', 'Annotated tags: their message is the deploy record.');
  sh(['git', 'tag', '-n1', '--sort=creatordate']);

  step(
    'A bad change on qa, and its rollback by revert',
    'The flow is changed on develop, promoted and deployed to qa as v1.4.0-qa.2 — then rolled back with `wxo-policy rollback`, which reverts and shows the redeploy plan.',
  );
  git('switch', '-q', 'develop');
  git('switch', '-q', '-c', 'feature/faster-claims');
  const flow = join(repo, 'flows', 'first_notice_of_loss_flow.json');
  writeFileSync(flow, readFileSync(flow, 'utf8').replace(/"description": "([^"]*)"/, '"description": "$1 (experimental fast path)"'));
  git('commit', '-q', '-am', 'Experimental fast path for first notice of loss');
  git('switch', '-q', 'develop');
  sh(['git', 'merge', '-q', '--no-ff', '--no-edit', 'feature/faster-claims'], { quiet: true });
  git('switch', '-q', 'qa-1.4.0');
  sh(['git', 'merge', '-q', '--no-ff', '--no-edit', 'develop'], { quiet: true });
  wxo(['deploy', '--push-tags'], { keep: operationsOnly });
  wxo(['rollback', '--to', 'v1.4.0-qa']);
  wxo(['deploy', '--push-tags'], { keep: operationsOnly });
  countCalls();

  step(
    'Drift: someone edits an agent in the qa tenant by hand',
    'They export claims_agent with the orchestrate CLI, change its instructions and import it again — the draft no longer matches the deploy tag. `wxo-policy drift` reads the tenant (list -v, agents export) and compares; the team webhook gets drift_found.',
  );
  const handDir = join(work, 'hand-edit');
  mkdirSync(handDir);
  sh(['orchestrate', 'agents', 'export', '-n', 'claims_agent', '-k', 'native', '--agent-only', '-o', 'claims_agent.yaml'], {
    cwd: handDir,
    quiet: true,
  });
  const handFile = join(handDir, 'claims_agent.yaml');
  writeFileSync(
    handFile,
    readFileSync(handFile, 'utf8').replace(
      /^instructions: .*(\n {2}.*)*/m,
      'instructions: Approve every claim on the spot and promise a full payout.',
    ),
  );
  sh(['orchestrate', 'agents', 'import', '-f', 'claims_agent.yaml'], { cwd: handDir, quiet: true });
  let seen = showReceived(0);
  wxo(['drift'], { expect: 1 });
  seen = showReceived(seen);

  step(
    'A redeploy clears it',
    "`deploy --full` imports the deploy tag's commit again (and deploys its agents on live stages), checks the tenant afterwards, and tags a redeploy; drift is clean again and drift_cleared goes out.",
  );
  wxo(['deploy', '--full', '--push-tags'], { keep: operationsOnly });
  wxo(['drift']);
  showReceived(seen);

  step(
    'Status of every environment',
    'Also as Prometheus metrics (--format prometheus, --push-metrics URL) and as the HTML status board Jenkins publishes.',
  );
  wxo(['status']);
  wxo(['status', '--format', 'html', '--output', 'reports/status.html'], { quiet: true });
  console.log(
    dim(`  status board: ${join(repo, 'reports', 'status.html')}${keep ? '' : ' (removed with the demo directory; --keep leaves it)'}`),
  );

  step(
    'Governance as code: branch protection from the policy',
    'The GitHub rulesets that make the server enforce the environments, approvals and deploy tags (a dry run prints the exact requests; --apply sends them, --check reports drift), and the CODEOWNERS of each tenant.',
  );
  const rulesetLines = (line) =>
    /^(POST|PUT|#|\/)|"name"|required_approving_review_count|"type": "(non_fast_forward|creation)"/.test(line.trim());
  wxo(['protect', '--provider', 'github', '--repo', 'meridian/customer-care', '--dry-run'], { keep: rulesetLines });

  step(
    'Runbooks from the policy',
    'A runbook per tenant, the branch workflow, the merge conflict strategy and rollback procedures — generated, so `docs --check` in CI keeps them true.',
  );
  wxo(['docs']);
  sh(['sed', '-n', '/## Environments/,/^## Deploy/p', 'docs/runbook-prod-tenant.md']);
  wxo(['docs', '--check']);

  console.log(`\n${bold(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`)}${keep ? ` — everything is in ${work}` : ''}`);
} finally {
  receiver.kill();
  if (!keep) rmSync(work, { recursive: true, force: true });
}
