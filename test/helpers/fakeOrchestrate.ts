import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { onTestFinished } from 'vitest';
import { PROJECT_ROOT, runCli, type CliResult } from './cli.js';
import { createOrigin, originOf, type Origin } from './jenkins.js';
import { isolatedEnv } from './env.js';
import { copyInto, openRepo, type TestRepo } from './repo.js';
import { runTemplate } from './template.js';
import { fake as fakeSecret } from './secrets.js';
import { tempDir } from './tmp.js';

/**
 * The one stand-in of this project: an executable `orchestrate` (a node script, a real child
 * process) put first on PATH. It appends one JSON line per call to FAKE_ORCHESTRATE_LOG — argv,
 * cwd, selected environment, how stdin was connected, and the content and mode of every file
 * passed with -f / -r — answers with the success phrases of the ADK (reference §4, ANSI-coloured
 * as the real CLI), keeps `env list` state, and can be told to misbehave:
 *
 *   rules (control JSON file FAKE_ORCHESTRATE_CONTROL, or the env shortcuts below), each
 *   { match: "<substring of the argv>" | "re:<regex>", action, message?, times? }
 *   action: fail (exit 1 + "[ERROR] - …"), error0 (exit 0 + "[ERROR] - Error deploying agent X"),
 *           hang (sleeps), kb-failed (exit 0 + "… import failed"), no-tools (exit 0 + warning),
 *           echo (prints its argv, secrets included — the runner must mask them), exception
 *           (exit 1, one "SomeError: …" line on stderr)
 *   shortcuts: FAKE_ORCHESTRATE_FAIL / _ERROR0 / _HANG = <substring>
 */
export interface FakeCall {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: string;
  files: Record<string, { content: string | null; mode: number | null }>;
  pid: number;
  time: number;
}

export interface FakeRule {
  match: string;
  action: 'fail' | 'error0' | 'hang' | 'kb-failed' | 'no-tools' | 'echo' | 'exception';
  message?: string;
  /** Misbehave only this many times (then behave). */
  times?: number;
}

export interface FakeOrchestrate {
  binDir: string;
  logPath: string;
  statePath: string;
  controlPath: string;
  /** Environment additions: PATH with the fake first, and the log/state/control paths. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  calls(): FakeCall[];
  /** `orchestrate …` of each call, as one string per call. */
  commands(): string[];
  rules(rules: FakeRule[]): void;
  clearLog(): void;
  /** The raw log text (for "no secret anywhere" assertions). */
  rawLog(): string;
  /** The stand-in's state (format: the comment at the top of examples/orchestrate-stand-in.cjs). */
  state(): StandInState;
  /**
   * A tenant (orchestrate environment) that already holds objects, by name: minimal records, as if
   * imported earlier by someone else. Connections get draft and live configurations with credentials.
   */
  seed(env: string, objects: SeedObjects): void;
}

export interface SeedObjects {
  connections?: string[];
  tools?: string[];
  toolkits?: string[];
  knowledge_bases?: string[];
  /** Native agents (deployed: a live version too). */
  agents?: string[];
}

/** The stand-in's state file, loosely typed: see the format at the top of the stand-in. */
export interface StandInState {
  envs: Record<string, { url: string; type: string | null }>;
  active: string | null;
  login: Record<string, { apiKey?: boolean; password?: boolean; username?: string; type?: string | null; url?: string }>;
  tenants: Record<string, Record<string, Record<string, any>>>;
  [key: string]: unknown;
}

/** The stand-in itself is shared with the demo. */
const SCRIPT = readFileSync(join(PROJECT_ROOT, 'examples', 'orchestrate-stand-in.cjs'), 'utf8');

export function installFakeOrchestrate(): FakeOrchestrate {
  const dir = tempDir('wxo-fake-orchestrate-');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const script = join(binDir, 'orchestrate');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  return openFakeOrchestrate(dir);
}

/** The stand-in installed in dir (by installFakeOrchestrate, or a copy of such a directory). */
function openFakeOrchestrate(dir: string): FakeOrchestrate {
  const binDir = join(dir, 'bin');
  const logPath = join(dir, 'calls.jsonl');
  const statePath = join(dir, 'state.json');
  const controlPath = join(dir, 'control.json');
  const fake: FakeOrchestrate = {
    binDir,
    logPath,
    statePath,
    controlPath,
    env: (base) => ({
      ...base,
      PATH: `${binDir}${delimiter}${base.PATH ?? process.env.PATH ?? ''}`,
      FAKE_ORCHESTRATE_LOG: logPath,
      FAKE_ORCHESTRATE_STATE: statePath,
      FAKE_ORCHESTRATE_CONTROL: controlPath,
      FAKE_ORCHESTRATE_PROJECT: PROJECT_ROOT,
    }),
    calls: () => {
      const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
      // Only whole lines: a test that polls a running deploy can read a call while it is being written.
      return log
        .slice(0, log.lastIndexOf('\n') + 1)
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FakeCall);
    },
    commands: () => fake.calls().map((c) => c.argv.join(' ')),
    rules: (rules) => writeFileSync(controlPath, JSON.stringify(rules)),
    clearLog: () => writeFileSync(logPath, ''),
    rawLog: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    state: () => ({
      envs: {},
      active: null,
      login: {},
      tenants: {},
      ...(existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as Partial<StandInState>) : {}),
    }),
    seed: (env, objects) => {
      const state = fake.state();
      const seq = ((state.seq as number | undefined) ?? 0) + 1;
      state.seq = seq + 1000;
      let n = seq;
      const id = (kind: string) => `${kind}-seed-${String(n++).padStart(6, '0')}`;
      const t = (state.tenants[env] ??= {});
      const table = (k: string) => (t[k] ??= {});
      for (const appId of objects.connections ?? []) {
        const configured = { config: { kind: 'api_key', type: 'team', sso: false }, credentials: { fields: ['api_key'], idp: false } };
        table('connections')[appId] = {
          connection_id: id('conn'),
          app_id: appId,
          environments: { draft: configured, live: structuredClone(configured) },
        };
      }
      for (const name of objects.tools ?? [])
        table('tools')[name] = {
          id: id('tool'),
          kind: 'python',
          file: `${name}.py`,
          content: '',
          app_ids: [],
          spec: {
            name,
            id: id('tool'),
            description: '',
            permission: 'read_only',
            binding: { python: { function: `${name}:${name}`, requirements: [], connections: {} } },
          },
        };
      for (const name of objects.toolkits ?? [])
        table('toolkits')[name] = {
          id: id('toolkit'),
          kind: 'mcp',
          spec: { spec_version: 'v1', kind: 'mcp', name, description: name, package_root: '.', command: 'node index.js' },
          app_ids: [],
          tools: [],
          toolIds: {},
        };
      for (const name of objects.knowledge_bases ?? [])
        table('knowledge_bases')[name] = {
          id: id('kb'),
          spec: { spec_version: 'v1', kind: 'knowledge_base', name, description: name },
          documents: [],
        };
      for (const name of objects.agents ?? []) {
        const spec = {
          spec_version: 'v1',
          kind: 'native',
          name,
          description: name,
          llm: 'watsonx/ibm/granite-3-8b-instruct',
          style: 'default',
          tools: [],
          collaborators: [],
        };
        table('agents')[name] = { id: id('agent'), kind: 'native', draft: spec, live: structuredClone(spec) };
      }
      writeFileSync(statePath, JSON.stringify(state, null, 1));
    },
  };
  return fake;
}

// ---- a deploy test world: the example GitOps repository, an origin, the fake, secrets ----------------

/** Every secret the example repository needs (tenant API key and connection credentials). */
export const EXAMPLE_SECRET_NAMES = [
  'WXO_DEV_QA_API_KEY',
  'CLAIMS_CORE_CLIENT_ID_DRAFT',
  'CLAIMS_CORE_CLIENT_SECRET_DRAFT',
  'CLAIMS_CORE_CLIENT_ID_LIVE',
  'CLAIMS_CORE_CLIENT_SECRET_LIVE',
  'MERIDIAN_CRM_API_KEY_DRAFT',
  'MERIDIAN_CRM_API_KEY_LIVE',
  'POLICY_ADMIN_USERNAME_DRAFT',
  'POLICY_ADMIN_PASSWORD_DRAFT',
  'POLICY_ADMIN_USERNAME_LIVE',
  'POLICY_ADMIN_PASSWORD_LIVE',
  'ROADSIDE_PARTNER_TOKEN_DRAFT',
  'ROADSIDE_PARTNER_TOKEN_LIVE',
] as const;

export interface DeployWorld {
  origin: Origin;
  repo: TestRepo;
  fake: FakeOrchestrate;
  /** Secret values by name, made at run time (never literals in the repository). */
  secrets: Record<string, string>;
  /** The repository's environment with the fake on PATH and the secrets set. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Runs the built CLI in the repository; every output is kept for the leak assertions. */
  cli(args: string[], extra?: NodeJS.ProcessEnv): CliResult;
  /** Everything wxo-policy printed so far (push what a test runs or collects by other means). */
  captured: string[];
  /** deployWorld({ deployed }): what that first deploy printed (also in `captured`). */
  firstDeploy?: CliResult;
  /** Messages of all tags (the deploy records). */
  tagMessages(): string;
  /**
   * Throws when a secret value appears in anything the world produced: the outputs captured, the
   * deploy records, the files of the work tree and of .git (outside its object store). Runs by
   * itself when the test finishes; call it to check at a particular point.
   */
  assertNoLeaks(): void;
}

/** The example repository committed on develop and pushed: built once per run, copied for each world. */
const worldTemplate = runTemplate('example-world', () => {
  const origin = createOrigin('develop');
  copyInto(origin.dev, join(PROJECT_ROOT, 'examples', 'gitops-repo'));
  origin.dev.commitAll('Meridian customer care: initial import');
  origin.push('develop');
  return { dirs: [origin.bare, origin.dev.dir], data: null };
});

export function deployWorld(options: { deployed?: string } = {}): DeployWorld {
  if (options.deployed) return deployedWorld(options.deployed);
  const [bare, dir] = worldTemplate.copy();
  const secrets: Record<string, string> = {};
  for (const name of EXAMPLE_SECRET_NAMES) secrets[name] = name.startsWith('WXO_') ? fakeSecret.ibmApiKey() : fakeSecret.password();
  const world = worldOf(originOf(bare!, openRepo(dir!)), installFakeOrchestrate(), secrets);
  onTestFinished(() => world.assertNoLeaks());
  return world;
}

/**
 * deployWorld({ deployed: branch }): a world in which `wxo-policy deploy` has already run once,
 * successfully, on `branch` (develop, or a new branch made from it such as qa-1.4.0): for tests
 * about what comes after a first deploy. That deploy really runs — once per run of the end-to-end
 * tests and branch (runTemplate), against the stand-in — and each test gets a copy of everything it
 * left: the repository (its tag, .git/wxo-policy), the origin, the stand-in's directory (state, call
 * log) and HOME (the ADK's config.yaml). The copies share the template's secret values, so the leak
 * checks of each test look for the same secrets the first deploy was given; the template world
 * itself is checked for leaks once it is built.
 */
function deployedWorld(branch: string): DeployWorld {
  const template = (deployedTemplates[branch] ??= deployedTemplate(branch));
  const [bare, dir, fakeDir, home] = template.copy();
  const repo = openRepo(dir!, isolatedEnv({ HOME: home!, XDG_CONFIG_HOME: join(home!, '.config') }));
  const { secrets, firstDeploy } = template.data();
  const world = worldOf(originOf(bare!, repo), openFakeOrchestrate(fakeDir!), { ...secrets });
  world.firstDeploy = firstDeploy;
  world.captured.push(firstDeploy.output);
  onTestFinished(() => world.assertNoLeaks());
  return world;
}

const deployedTemplates: Record<string, ReturnType<typeof deployedTemplate>> = {};

function deployedTemplate(branch: string) {
  return runTemplate(`deployed-${branch}`, () => {
    const [bare, dir] = worldTemplate.copy();
    const secrets: Record<string, string> = {};
    for (const name of EXAMPLE_SECRET_NAMES) secrets[name] = name.startsWith('WXO_') ? fakeSecret.ibmApiKey() : fakeSecret.password();
    const world = worldOf(originOf(bare!, openRepo(dir!)), installFakeOrchestrate(), secrets);
    if (branch !== 'develop') world.repo.run('switch', '-q', '-c', branch);
    const r = world.cli(['deploy']);
    if (r.status !== 0) throw new Error(`the first deploy on ${branch} failed (exit ${r.status}):\n${r.output}`);
    world.assertNoLeaks();
    return { dirs: [bare!, dir!, dirname(world.fake.binDir), world.repo.env.HOME!], data: { secrets, firstDeploy: r } };
  });
}

function worldOf(origin: Origin, fake: FakeOrchestrate, secrets: Record<string, string>): DeployWorld {
  const repo = origin.dev;
  const captured: string[] = [];
  const world: DeployWorld = {
    origin,
    repo,
    fake,
    secrets,
    captured,
    env: (extra = {}) => ({ ...fake.env(repo.env), ...secrets, ...extra }),
    cli: (args, extra) => {
      const r = runCli(args, { cwd: repo.dir, env: world.env(extra) });
      captured.push(r.output);
      return r;
    },
    tagMessages: () => repo.run('for-each-ref', '--format=%(refname) %(contents)', 'refs/tags'),
    assertNoLeaks: () => {
      const haystacks: [string, string][] = [
        ...captured.map((text, i): [string, string] => [`output ${i + 1}`, text]),
        ['the deploy records (tag messages)', world.tagMessages()],
        ...filesOf(repo.dir),
      ];
      for (const [name, value] of Object.entries(secrets)) {
        for (const [where, text] of haystacks) {
          const at = text.indexOf(value);
          if (at >= 0) throw new Error(`secret ${name} leaked into ${where}: …${text.slice(Math.max(0, at - 200), at)}<HERE>…`);
        }
      }
    },
  };
  return world;
}

/** Text of every file under dir, .git included but not its object store (tags are read above). */
function filesOf(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (rel.startsWith(join('.git', 'objects'))) continue;
    out.push([rel, readFileSync(path, 'latin1')]);
  }
  return out;
}

/** Edits a file of the repository in place. */
export function edit(repo: TestRepo, path: string, change: (text: string) => string): void {
  const file = join(repo.dir, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(file, after);
}

/**
 * The tenant reads of the post-deploy verification (and of drift): `… list -v` and
 * `agents export`. Tests about a deploy's operations leave them out; live.drift.test.ts asserts them.
 */
export const isLiveRead = (command: string): boolean =>
  /^\S+ list -v$/.test(command) ||
  command === 'models list --raw' ||
  command === 'phone list-configs -v' ||
  command.startsWith('channels list-channels ') ||
  command.startsWith('agents export ');
