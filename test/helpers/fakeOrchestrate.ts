import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PROJECT_ROOT, runCli, type CliResult } from './cli.js';
import { createOrigin, type Origin } from './jenkins.js';
import { copyInto, type TestRepo } from './repo.js';
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
}

const SCRIPT = String.raw`#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const argv = process.argv.slice(2);
const logPath = process.env.FAKE_ORCHESTRATE_LOG;
const statePath = process.env.FAKE_ORCHESTRATE_STATE;
const controlPath = process.env.FAKE_ORCHESTRATE_CONTROL;
const C = { red: (s) => '\x1b[31m' + s + '\x1b[0m', green: (s) => '\x1b[32m' + s + '\x1b[0m', yellow: (s) => '\x1b[33m' + s + '\x1b[0m' };
const info = (m) => console.log(C.green('[INFO]') + ' - ' + m);
const warn = (m) => console.log(C.yellow('[WARNING]') + ' - ' + m);
const error = (m) => console.log(C.red('[ERROR]') + ' - ' + m);

function readJson(p, fallback) { try { return JSON.parse(fs.readFileSync(p, 'utf8')); } catch { return fallback; } }
const state = statePath ? readJson(statePath, { envs: {}, active: null, counts: {} }) : { envs: {}, active: null, counts: {} };
state.counts = state.counts || {};
const save = () => { if (statePath) fs.writeFileSync(statePath, JSON.stringify(state)); };

let stdin = 'unknown';
try { const st = fs.fstatSync(0); stdin = st.isCharacterDevice() ? 'char' : st.isFIFO() ? 'pipe' : st.isFile() ? 'file' : 'other'; } catch { stdin = 'closed'; }
const files = {};
for (let i = 0; i < argv.length - 1; i++) {
  if (['-f', '--file', '-r', '--requirements-file'].includes(argv[i])) {
    const p = path.resolve(argv[i + 1]);
    let content = null, mode = null;
    try { content = fs.readFileSync(p, 'utf8'); mode = fs.statSync(p).mode & 0o777; } catch {}
    files[argv[i + 1]] = { content, mode };
  }
}
const selected = {};
for (const k of ['HOME', 'WXO_AGENT_DEPLOYMENT_TIMEOUT', 'NO_COLOR']) selected[k] = process.env[k];
if (logPath) fs.appendFileSync(logPath, JSON.stringify({ argv, cwd: process.cwd(), env: selected, stdin, files, pid: process.pid, time: Date.now() }) + '\n');

const joined = argv.join(' ');
const rules = [];
if (controlPath) rules.push(...readJson(controlPath, []));
if (process.env.FAKE_ORCHESTRATE_FAIL) rules.push({ match: process.env.FAKE_ORCHESTRATE_FAIL, action: 'fail' });
if (process.env.FAKE_ORCHESTRATE_ERROR0) rules.push({ match: process.env.FAKE_ORCHESTRATE_ERROR0, action: 'error0' });
if (process.env.FAKE_ORCHESTRATE_HANG) rules.push({ match: process.env.FAKE_ORCHESTRATE_HANG, action: 'hang' });
const opt = (...names) => { for (let i = 0; i < argv.length - 1; i++) if (names.includes(argv[i])) return argv[i + 1]; return undefined; };
const fileName = () => { const f = opt('-f', '--file'); return f ? path.basename(f).replace(/\.[^.]+$/, '') : '?'; };
const nameInFile = () => { const f = opt('-f', '--file'); try { const m = /^(?:name|app_id):\s*(\S+)/m.exec(fs.readFileSync(f, 'utf8')); return m ? m[1] : fileName(); } catch { return fileName(); } };

for (const [i, rule] of rules.entries()) {
  const hit = rule.match.startsWith('re:') ? new RegExp(rule.match.slice(3)).test(joined) : joined.includes(rule.match);
  if (!hit) continue;
  const key = 'rule' + i + ':' + rule.match;
  if (rule.times !== undefined) {
    state.counts[key] = (state.counts[key] || 0) + 1;
    save();
    if (state.counts[key] > rule.times) continue;
  }
  switch (rule.action) {
    case 'fail': error(rule.message || 'Failed to ' + argv.slice(0, 2).join(' ') + ': the server said no'); process.exit(1);
    case 'error0': error(rule.message || 'Error deploying agent ' + (opt('-n', '--name') || nameInFile())); process.exit(0);
    case 'kb-failed': console.log('\u2717 Knowledge base \'' + nameInFile() + '\' import failed'); process.exit(0);
    case 'no-tools': warn("No valid 'python' tools found in file " + opt('-f', '--file')); process.exit(0);
    case 'echo': console.log('called with: ' + joined); process.exit(0);
    case 'exception': console.error('ClientAPIException: ' + (rule.message || 'status 500')); process.exit(1);
    case 'hang': setTimeout(() => {}, 3600 * 1000); return;
  }
}

const [group, action] = argv;
const sub = argv[2];
switch (group + ' ' + action) {
  case 'env list': {
    if (!state.active) warn('No active environment is currently set. Use ` + '`orchestrate env activate`' + String.raw` to set one');
    const names = Object.keys(state.envs).sort();
    for (const n of names) console.log(n + '  ' + state.envs[n].url + '  ' + (n === state.active ? C.green('(active)') : ''));
    break;
  }
  case 'env add': {
    const name = opt('-n', '--name');
    if (state.envs[name]) {
      info("Existing environment with name '" + name + "' found.");
      process.stdout.write("Would you like to update the environment '" + name + "'? (Y/n)");
      console.error('EOFError: EOF when reading a line');
      process.exit(1);
    }
    state.envs[name] = { url: opt('-u', '--url'), type: opt('-t', '--type') || null };
    save();
    info("Environment '" + name + "' has been created");
    break;
  }
  case 'env activate': {
    const name = argv[2];
    if (!state.envs[name]) { error("Environment '" + name + "' does not exist. Please create it with ` + '`orchestrate env add`' + String.raw`"); break; }
    if (!opt('--api-key', '-a')) { process.stdout.write('Please enter WXO API key: '); console.error('EOFError'); process.exit(1); }
    state.active = name;
    save();
    info("Environment '" + name + "' is now active");
    break;
  }
  case 'connections import': {
    const f = opt('-f', '--file');
    const text = fs.readFileSync(f, 'utf8');
    const appId = (/^app_id:\s*(\S+)/m.exec(text) || [])[1];
    for (const env of ['draft', 'live']) if (new RegExp('^\\s+' + env + ':', 'm').test(text)) info("Configuration successfully created for '" + env + "' environment of connection '" + appId + "'.");
    break;
  }
  case 'connections set-credentials':
    info("Credentials successfully set for '" + opt('--env') + "' environment of connection '" + opt('-a', '--app-id') + "'");
    break;
  case 'tools import': info("Tool '" + fileName() + "' imported successfully"); break;
  case 'toolkits import': info("Toolkit '" + nameInFile() + "' imported successfully"); break;
  case 'knowledge-bases import': console.log("\u2713 Successfully imported knowledge base '" + nameInFile() + "'"); break;
  case 'agents import': info("Agent '" + nameInFile() + "' imported successfully"); break;
  case 'agents deploy': info('Successfully deployed agent ' + opt('-n', '--name')); break;
  default:
    if (action === 'remove' || action === 'delete' || sub === 'remove') info('Successfully removed ' + (opt('-n', '--name', '-a', '--app-id') || '?'));
    else info(argv.slice(0, 2).join(' ') + ' done');
}
`;

export function installFakeOrchestrate(): FakeOrchestrate {
  const dir = tempDir('wxo-fake-orchestrate-');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const script = join(binDir, 'orchestrate');
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
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
    }),
    calls: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall) : []),
    commands: () => fake.calls().map((c) => c.argv.join(' ')),
    rules: (rules) => writeFileSync(controlPath, JSON.stringify(rules)),
    clearLog: () => writeFileSync(logPath, ''),
    rawLog: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
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
  /** Everything wxo-policy printed so far. */
  captured: string[];
  /** Messages of all tags (the deploy records). */
  tagMessages(): string;
}

export function deployWorld(): DeployWorld {
  const origin = createOrigin('develop');
  const repo = origin.dev;
  copyInto(repo, join(PROJECT_ROOT, 'examples', 'gitops-repo'));
  repo.commitAll('Meridian customer care: initial import');
  origin.push('develop');
  const fake = installFakeOrchestrate();
  const secrets: Record<string, string> = {};
  for (const name of EXAMPLE_SECRET_NAMES) secrets[name] = name.startsWith('WXO_') ? fakeSecret.ibmApiKey() : fakeSecret.password();
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
  };
  return world;
}

/** Edits a file of the repository in place. */
export function edit(repo: TestRepo, path: string, change: (text: string) => string): void {
  const file = join(repo.dir, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(file, after);
}
