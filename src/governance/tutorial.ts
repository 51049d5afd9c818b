import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EnvError, EXIT } from '../errors.js';
import { messages } from '../messages.js';
import type { Palette } from '../report/colors.js';

/**
 * `wxo-policy tutorial`: a guided exercise for a new team member in a throw-away sandbox — a
 * repository with the default policy and the hooks installed, a bare origin, the strict
 * `orchestrate` stand-in on PATH and made-up API keys. Each step says what to do, then checks in
 * git that it was really done (never trusting "done"), and explains what wxo-policy did.
 * `--scripted` performs each step itself (the exercise, end to end, without a learner).
 */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = '1.2.3';

export interface Sandbox {
  dir: string;
  repo: string;
  origin: string;
  env: NodeJS.ProcessEnv;
  envFile: string;
}

interface Step {
  title: string;
  /** What to do, as commands to type in the sandbox repository. */
  todo: string[];
  /** What the learner would type: argv lists run in the repository by --scripted. */
  solution: { argv: string[]; mayFail?: boolean; input?: string }[];
  /** undefined when the step was really done, else what is still missing. */
  check(s: Sandbox): string | undefined;
  /** What wxo-policy did in this step, and why. */
  explain: string;
  /** Puts the sandbox back after a step that leaves something behind on purpose. */
  cleanup?(s: Sandbox): void;
}

function run(s: Sandbox, argv: string[], input?: string): { status: number; out: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: s.repo, env: s.env, encoding: 'utf8', input: input ?? '' });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const git = (s: Sandbox, ...args: string[]) => run(s, ['git', ...args]);
const gitOut = (s: Sandbox, ...args: string[]) => {
  const r = git(s, ...args);
  return r.status === 0 ? r.out.trim() : undefined;
};
const remoteSha = (s: Sandbox, ref: string) =>
  spawnSync('git', ['--git-dir', s.origin, 'rev-parse', '-q', '--verify', ref], { encoding: 'utf8', env: s.env }).stdout?.trim() ||
  undefined;

const HELPER_AGENT =
  'spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: ${values.llm.default}\ntools: []\n';

function tenantFiles(tenant: 'dev-qa-tenant' | 'prod-tenant'): Record<string, string> {
  const t =
    tenant === 'dev-qa-tenant'
      ? { env: 'wxo-dev-qa', id: '1', key: 'WXO_DEV_QA_API_KEY', llm: 'groq/openai/gpt-oss-120b' }
      : { env: 'wxo-prod', id: '2', key: 'WXO_PROD_API_KEY', llm: 'watsonx/ibm/granite-3-8b-instruct' };
  return {
    'tenant.yaml': `tenant: ${tenant}\norchestrate:\n  env_name: ${t.env}\n  url: https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/00000000-0000-0000-0000-00000000000${t.id}\n  auth_type: ibm_iam\n  api_key: \${${t.key}}\n`,
    'values.yaml': `tenant: ${tenant}\nvalues:\n  llm:\n    default: ${t.llm}\n`,
  };
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Builds the sandbox: origin, repository on develop and main, hooks installed, stand-in on PATH. */
function createSandbox(dir?: string): Sandbox {
  const standIn = join(PACKAGE_ROOT, 'examples', 'orchestrate-stand-in.cjs');
  if (!existsSync(standIn)) throw new EnvError(messages.tutorial.noStandIn(standIn));
  const base = dir ? resolve(dir) : mkdtempSync(join(tmpdir(), 'wxo-policy-tutorial-'));
  const s: Sandbox = {
    dir: base,
    repo: join(base, 'team-agents'),
    origin: join(base, 'origin.git'),
    env: {},
    envFile: join(base, 'env.sh'),
  };
  if (existsSync(s.repo) || existsSync(s.origin)) throw new EnvError(messages.tutorial.notEmpty(base));
  // The sandbox writes bin/, home/, env.sh … at the top of --dir: only into a new or empty directory,
  // never among someone's files (`--dir ~` or `--dir /etc`).
  if (existsSync(base) && (!statSync(base).isDirectory() || readdirSync(base).length)) throw new EnvError(messages.tutorial.dirInUse(base));
  mkdirSync(base, { recursive: true });
  const bin = join(base, 'bin');
  const home = join(base, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  copyFileSync(standIn, join(bin, 'orchestrate'));
  chmodSync(join(bin, 'orchestrate'), 0o755);
  writeFileSync(join(bin, 'wxo-policy'), `#!/bin/sh\nexec "${process.execPath}" "${join(PACKAGE_ROOT, 'bin', 'wxo-policy.js')}" "$@"\n`);
  chmodSync(join(bin, 'wxo-policy'), 0o755);
  // Made-up keys for the stand-in, never real ones: the sandbox's tenants accept anything.
  const fakeKey = () => randomBytes(18).toString('base64url');
  const own: Record<string, string> = {
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'New Teammate',
    GIT_AUTHOR_EMAIL: 'newcomer@example.com',
    GIT_COMMITTER_NAME: 'New Teammate',
    GIT_COMMITTER_EMAIL: 'newcomer@example.com',
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_ORCHESTRATE_LOG: join(base, 'orchestrate-calls.jsonl'),
    FAKE_ORCHESTRATE_STATE: join(base, 'orchestrate-state.json'),
    FAKE_ORCHESTRATE_PROJECT: PACKAGE_ROOT,
    WXO_DEV_QA_API_KEY: fakeKey(),
    WXO_PROD_API_KEY: fakeKey(),
  };
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(GIT_|CI$|JENKINS|BRANCH_NAME|CHANGE_|TAG_NAME|HUSKY|WXO_|FAKE_ORCHESTRATE)/.test(k)),
  );
  s.env = { ...inherited, ...own };
  writeFileSync(
    s.envFile,
    `# source this file in your terminal to work in the tutorial's sandbox\n${Object.entries(own)
      .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join('\n')}\ncd '${s.repo}'\n`,
  );

  spawnSync('git', ['init', '-q', '--bare', s.origin], { env: s.env });
  mkdirSync(s.repo);
  const must = (argv: string[]) => {
    const r = run(s, argv);
    if (r.status !== 0) throw new EnvError(messages.tutorial.setupFailed(argv.join(' '), r.out.trim().split('\n').pop() ?? ''));
  };
  must(['git', 'init', '-q', '-b', 'develop']);
  must(['git', 'remote', 'add', 'origin', s.origin]);
  // wxo-policy as `npm install` would provide it: linked into node_modules, hooks by husky.
  mkdirSync(join(s.repo, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(s.repo, 'node_modules', 'wxo-policy'));
  const require = createRequire(join(PACKAGE_ROOT, 'package.json'));
  for (const dep of ['husky', 'lint-staged']) {
    // The package directory where node would find it (their exports hide package.json).
    const found = (require.resolve.paths(dep) ?? []).map((p) => join(p, dep)).find((p) => existsSync(join(p, 'package.json')));
    if (found) symlinkSync(found, join(s.repo, 'node_modules', dep));
  }
  write(s.repo, {
    'wxo-policy.yaml': readFileSync(join(PACKAGE_ROOT, 'policies', 'default.yaml'), 'utf8'),
    VERSION: `${VERSION}\n`,
    ...tenantFiles('dev-qa-tenant'),
    'agents/helper.yaml': HELPER_AGENT,
  });
  must(['wxo-policy', 'init']);
  must(['git', 'add', '-A']);
  must(['git', 'commit', '-q', '-m', 'Team agents']);
  must(['git', 'push', '-q', 'origin', 'develop']);
  // main holds the production tenant's files (the platform team bootstraps it once).
  must(['git', 'switch', '-q', '-c', 'main']);
  write(s.repo, tenantFiles('prod-tenant'));
  must(['git', 'commit', '-q', '--no-verify', '-am', 'Bootstrap main with the prod tenant files']);
  must(['git', 'push', '-q', 'origin', 'main']);
  // Two colleagues' changes that will turn out bad (for the rollback steps).
  for (const [branch, name] of [
    ['feature/bad-change', 'risky'],
    ['feature/another-bad-change', 'riskier'],
  ] as const) {
    must(['git', 'switch', '-q', '-c', branch, 'develop']);
    write(s.repo, {
      [`agents/${name}.yaml`]: HELPER_AGENT.replace('name: helper', `name: ${name}`).replace(
        'Answers questions',
        'Answers anything, confidently',
      ),
    });
    must(['git', 'add', '-A']);
    must(['git', 'commit', '-q', '-m', `Add the ${name} agent`]);
    must(['git', 'push', '-q', 'origin', branch]);
    must(['git', 'switch', '-q', 'develop']);
    must(['git', 'branch', '-q', '-D', branch]);
  }
  return s;
}

export function steps(): Step[] {
  const secret = `S3cr3t-${randomBytes(6).toString('hex')}`;
  return [
    {
      title: 'Work on a feature branch',
      todo: [
        'git switch -c feature/friendlier-helper',
        'edit agents/helper.yaml (e.g. its description)',
        'git commit -am "Friendlier helper"',
      ],
      solution: [
        { argv: ['git', 'switch', '-q', '-c', 'feature/friendlier-helper'] },
        { argv: ['sh', '-c', 'sed -i "s/Answers questions/Answers questions kindly/" agents/helper.yaml'] },
        { argv: ['git', 'commit', '-q', '-am', 'Friendlier helper'] },
      ],
      check(s) {
        const branches = (gitOut(s, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/feature/') ?? '')
          .split('\n')
          .filter((b) => b && b !== 'feature/bad-change');
        const done = branches.find((b) =>
          (gitOut(s, 'diff', '--name-only', `origin/develop...${b}`) ?? '').split('\n').includes('agents/helper.yaml'),
        );
        return done ? undefined : messages.tutorial.missingFeature;
      },
      explain:
        'pre-commit checked the commit (schema, references, secrets, tenant binding) before git made it. Feature branches are allowed by branches.allowed; environment branches never take direct commits.',
    },
    {
      title: 'See a secret refused',
      todo: [
        `add a line "password: ${secret}" to agents/helper.yaml`,
        'git add agents/helper.yaml && git commit -m "Oops"   (refused: read why; leave the change, the tutorial undoes it)',
      ],
      solution: [
        { argv: ['sh', '-c', `printf 'password: ${secret}\\n' >> agents/helper.yaml`] },
        { argv: ['git', 'add', 'agents/helper.yaml'] },
        { argv: ['git', 'commit', '-q', '-m', 'Oops'], mayFail: true },
      ],
      check(s) {
        if ((gitOut(s, 'log', '--all', '-p', '--format=') ?? '').includes(secret)) return messages.tutorial.secretCommitted;
        if (!(gitOut(s, 'diff', 'HEAD') ?? '').includes(secret)) return messages.tutorial.secretNotStaged;
        return undefined;
      },
      cleanup: (s) => void git(s, 'checkout', 'HEAD', '--', 'agents/helper.yaml'),
      explain:
        'The pre-commit hook found a credential-named key with a literal value and refused the commit, without printing the value (the tutorial has put the file back). Secrets live in a secret provider and reach wxO as ${NAME} placeholders at deploy time.',
    },
    {
      title: 'Promote to QA',
      todo: [
        'git switch develop',
        'git merge --no-ff feature/friendlier-helper',
        'git push origin develop',
        'wxo-policy promote --push   (creates qa-1.2.3 from develop)',
      ],
      solution: [
        { argv: ['git', 'switch', '-q', 'develop'] },
        { argv: ['git', 'merge', '-q', '--no-ff', '--no-edit', 'feature/friendlier-helper'] },
        { argv: ['git', 'push', '-q', 'origin', 'develop'] },
        { argv: ['wxo-policy', 'promote', '--push'] },
      ],
      check(s) {
        const qa = remoteSha(s, `refs/heads/qa-${VERSION}`);
        if (!qa) return messages.tutorial.missingBranch(`qa-${VERSION}`);
        const content = spawnSync('git', ['--git-dir', s.origin, 'show', `${qa}:agents/helper.yaml`], { encoding: 'utf8' }).stdout ?? '';
        return content !== HELPER_AGENT ? undefined : messages.tutorial.featureNotPromoted(`qa-${VERSION}`);
      },
      explain:
        'promote followed the policy edge develop → qa and named the branch after the version (VERSION). Same tenant (dev-qa-tenant): nothing to keep apart.',
    },
    {
      title: 'Cross the tenant boundary: QA → staging',
      todo: [`git switch qa-${VERSION}`, 'wxo-policy promote --push   (creates staging-1.2.3 from main, merges qa into it)'],
      solution: [{ argv: ['git', 'switch', '-q', `qa-${VERSION}`] }, { argv: ['wxo-policy', 'promote', '--push'] }],
      check(s) {
        const staging = remoteSha(s, `refs/heads/staging-${VERSION}`);
        if (!staging) return messages.tutorial.missingBranch(`staging-${VERSION}`);
        const tenant = spawnSync('git', ['--git-dir', s.origin, 'show', `${staging}:tenant.yaml`], { encoding: 'utf8' }).stdout ?? '';
        if (!tenant.includes('tenant: prod-tenant')) return messages.tutorial.wrongTenant(`staging-${VERSION}`);
        const agent = spawnSync('git', ['--git-dir', s.origin, 'show', `${staging}:agents/helper.yaml`], { encoding: 'utf8' }).stdout ?? '';
        return agent !== HELPER_AGENT ? undefined : messages.tutorial.featureNotPromoted(`staging-${VERSION}`);
      },
      explain:
        "qa → staging crosses from dev-qa-tenant to prod-tenant: the wxo-tenant merge driver kept staging's tenant.yaml and values.yaml (from main), and the approval the policy requires for this edge was announced.",
    },
    {
      title: 'Deploy',
      todo: [`on staging-${VERSION}: wxo-policy plan   (what would happen)`, 'wxo-policy deploy --push-tags'],
      solution: [{ argv: ['wxo-policy', 'plan'] }, { argv: ['wxo-policy', 'deploy', '--push-tags'] }],
      check(s) {
        return remoteSha(s, `refs/tags/v${VERSION}-staging`) ? undefined : messages.tutorial.missingTag(`v${VERSION}-staging`);
      },
      explain:
        'deploy ran the plan against the staging tenant (the orchestrate stand-in here), then tagged the commit v1.2.3-staging with the deploy record and pushed the tag: the next plan starts from it.',
    },
    {
      title: 'Roll back with git revert',
      todo: [
        'git switch develop && wxo-policy deploy --push-tags   (dev deployed: v1.2.3-dev)',
        'git fetch origin && git merge --no-ff origin/feature/bad-change && git push origin develop',
        'wxo-policy deploy --push-tags   (the bad change is deployed: v1.2.3-dev.2)',
        `wxo-policy rollback --to v${VERSION}-dev`,
        'git push origin develop && wxo-policy deploy --push-tags   (v1.2.3-dev.3)',
      ],
      solution: [
        { argv: ['git', 'switch', '-q', 'develop'] },
        { argv: ['wxo-policy', 'deploy', '--push-tags'] },
        { argv: ['git', 'fetch', '-q', 'origin'] },
        { argv: ['git', 'merge', '-q', '--no-ff', '--no-edit', 'origin/feature/bad-change'] },
        { argv: ['git', 'push', '-q', 'origin', 'develop'] },
        { argv: ['wxo-policy', 'deploy', '--push-tags'] },
        { argv: ['wxo-policy', 'rollback', '--to', `v${VERSION}-dev`] },
        { argv: ['git', 'push', '-q', 'origin', 'develop'] },
        { argv: ['wxo-policy', 'deploy', '--push-tags'] },
      ],
      check(s) {
        const tip = remoteSha(s, 'refs/heads/develop');
        const bad = remoteSha(s, `refs/tags/v${VERSION}-dev.2^{commit}`);
        if (!tip || !bad) return messages.tutorial.missingTag(`v${VERSION}-dev.2`);
        if (git(s, 'merge-base', '--is-ancestor', bad, tip).status !== 0 || git(s, 'diff', '--quiet', `v${VERSION}-dev`, tip).status !== 0)
          return messages.tutorial.notReverted;
        return remoteSha(s, `refs/tags/v${VERSION}-dev.3`) ? undefined : messages.tutorial.missingTag(`v${VERSION}-dev.3`);
      },
      explain:
        'rollback reverted every commit after the tag (the merge with -m 1) — history only grew, the reverts went through the hooks like any change — and the deploy of the reverts removed the risky agent from the tenant (v1.2.3-dev.3).',
    },
    {
      title: 'Roll back with git reset',
      todo: [
        'git merge --no-ff origin/feature/another-bad-change && git push origin develop && wxo-policy deploy --push-tags',
        `wxo-policy rollback --to v${VERSION}-dev.3 --reset   (dev is a draft stage: the policy allows a reset)`,
        'run the git push --force-with-lease … it prints, then wxo-policy deploy --push-tags',
      ],
      solution: [
        { argv: ['git', 'merge', '-q', '--no-ff', '--no-edit', 'origin/feature/another-bad-change'] },
        { argv: ['git', 'push', '-q', 'origin', 'develop'] },
        { argv: ['wxo-policy', 'deploy', '--push-tags'] },
        { argv: ['wxo-policy', 'rollback', '--to', `v${VERSION}-dev.3`, '--reset'] },
        {
          argv: ['sh', '-c', 'git push -q --force-with-lease=develop:$(git rev-parse refs/wxo-policy/before-reset/develop) origin develop'],
        },
        { argv: ['wxo-policy', 'deploy', '--push-tags'] },
      ],
      check(s) {
        const tip = remoteSha(s, 'refs/heads/develop');
        if (!tip || tip !== gitOut(s, 'rev-parse', `v${VERSION}-dev.3^{commit}`))
          return messages.tutorial.notReset('develop', `v${VERSION}-dev.3`);
        return remoteSha(s, `refs/tags/v${VERSION}-dev.5`) ? undefined : messages.tutorial.missingTag(`v${VERSION}-dev.5`);
      },
      explain:
        'reset moved develop back (the old head kept under refs/wxo-policy/before-reset/develop); pre-push allowed the force-push because dev is a draft stage and the new tip is a deploy tag; the deploy planned against the last deploy — no longer in the history — and removed the riskier agent (v1.2.3-dev.5).',
    },
  ];
}

export interface TutorialOptions {
  dir?: string;
  scripted: boolean;
  keep: boolean;
  input: NodeJS.ReadableStream;
  out(text: string): void;
  colors: Palette;
}

export async function runTutorial(options: TutorialOptions): Promise<number> {
  const { out, colors: c } = options;
  const s = createSandbox(options.dir);
  const list = steps();
  out(c.bold(messages.tutorial.welcome(s.dir)));
  if (!options.scripted) out(messages.tutorial.howTo(s.envFile));
  const lines = options.scripted ? undefined : createInterface({ input: options.input, terminal: false });
  const iterator = lines?.[Symbol.asyncIterator]();
  let done = 0;
  try {
    for (const [i, step] of list.entries()) {
      out(`\n${c.bold(`${i + 1}/${list.length} ${step.title}`)}`);
      for (const t of step.todo) out(`   $ ${t}`);
      for (;;) {
        if (options.scripted) {
          for (const a of step.solution) {
            const r = run(s, a.argv, a.input);
            out(c.dim(`   > ${a.argv.join(' ')}${r.status === 0 ? '' : ` (exit ${r.status})`}`));
            if (r.status !== 0 && !a.mayFail)
              out(
                c.dim(
                  r.out
                    .trim()
                    .split('\n')
                    .slice(-5)
                    .map((l) => `     ${l}`)
                    .join('\n'),
                ),
              );
          }
        } else {
          out(c.dim(messages.tutorial.prompt));
          const next = await iterator!.next();
          const answer = next.done ? 'q' : String(next.value).trim().toLowerCase();
          if (answer === 'q' || answer === 'quit') {
            out(messages.tutorial.stopped(done, list.length, s.dir));
            return EXIT.findings;
          }
        }
        const missing = step.check(s);
        if (!missing) {
          step.cleanup?.(s);
          out(c.green(`   ✓ ${messages.tutorial.stepDone}`));
          out(`   ${step.explain}`);
          done++;
          break;
        }
        out(c.yellow(`   ✗ ${messages.tutorial.notYet(missing)}`));
        if (options.scripted) return EXIT.findings;
      }
    }
    out(`\n${c.bold(c.green(messages.tutorial.finished(list.length)))}`);
    return EXIT.ok;
  } finally {
    lines?.close();
    if (!options.keep && !options.dir) rmSync(s.dir, { recursive: true, force: true });
    else out(c.dim(messages.tutorial.kept(s.dir)));
  }
}
