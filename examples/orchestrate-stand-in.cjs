#!/usr/bin/env node
// The stand-in for IBM's `orchestrate` CLI (ADK 2.9.0, a Python package this project does not
// install), used by the tests and the demo: a real child process that records its calls, refuses
// what the real CLI refuses, and keeps per-tenant state the way the ADK's controllers do.
// See test/helpers/fakeOrchestrate.ts for what it records and how to make it misbehave.
//
// STRICT: every argv is checked against the CLI oracle (scripts/adk-cli/surface.json, extracted from
// the ADK's typer source by scripts/adk-cli/extract.py): an unknown command or option, a missing
// value or required option, a value outside an enum, a -f path typer checks that does not exist —
// all exit 2 with typer's usage block on stderr. A command that would prompt writes the prompt and
// reads stdin; with stdin closed (/dev/null) it fails as Python does (EOFError, exit 1; Abort for
// typer.confirm).
//
// WHERE: the oracle and the `yaml` package are found through FAKE_ORCHESTRATE_PROJECT (the project
// root; the helper and the demo set it), else from the directory of this script's real path.
//
// STATE FILE (FAKE_ORCHESTRATE_STATE, JSON; absent = an empty machine):
//   {
//     "envs":   { "<orchestrate env>": { "url": "...", "type": "ibm_iam|mcsp|…|cpd"|null } },
//     "active": "<orchestrate env>" | null,
//     "login":  { "<orchestrate env>": { "apiKey"|"password": true, "username": "..."? } },
//     "counts": { "<rule key>": n },                       (misbehaviour rules with `times`)
//     "seq":    n,                                          (id counter)
//     "tenants": { "<orchestrate env>": {                   (one tenant per orchestrate env)
//       "connections":     { "<app_id>": { "connection_id", "app_id", "resource"?,
//                              "environments": { "draft"|"live": { "config": {kind, type, sso,
//                                server_url, …as imported, without credentials},
//                                "credentials": null | { "fields": ["username", …], "idp": bool } } } } },
//       "tools":           { "<name>": { "id", "kind": "python|openapi|flow|langflow", "file",
//                              "content", "app_ids": [...], "spec": {ToolSpec as listed} } },
//       "toolkits":        { "<name>": { "id", "kind": "mcp|python", "spec": {file as imported},
//                              "app_ids": [...], "tools": ["<name>:<tool>"…] } },
//       "knowledge_bases": { "<name>": { "id", "spec": {file as imported}, "documents": [names] } },
//       "agents":          { "<name>": { "id", "kind": "native|external|assistant",
//                              "draft": {spec as imported, references by name},
//                              "live": null | {the draft as it was at `agents deploy`} } },
//       "voice_configs":   { "<name>": { "id", "spec" } },
//       "models":          { "virtual-model/<…>": { "id", "spec" } },     (stored names, prefixed)
//       "model_policies":  { "virtual-policy/<…>": { "id", "spec" } },
//       "channels":        { "<agent>/<draft|live>/<type>/<name>": { "id", "agent", "env", "type", "spec" } },
//       "phone_configs":   { "<name>": { "id", "spec", "attached": [{ "agent", "env" }] } } } } }
//
// Read it with JSON.parse, or through the CLI as the ADK prints it:
//   orchestrate <connections|tools|toolkits|knowledge-bases|agents> list -v    (JSON on stdout)
//   orchestrate agents export -n NAME -k KIND --agent-only -o FILE.yaml         (names resolved)
//   orchestrate connections export -a APP_ID -o FILE.yaml                       (draft + live configs)
// Seed it by writing the file (a tenant that already holds objects), or by running imports.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const argv = process.argv.slice(2);
const logPath = process.env.FAKE_ORCHESTRATE_LOG;
const statePath = process.env.FAKE_ORCHESTRATE_STATE;
const controlPath = process.env.FAKE_ORCHESTRATE_CONTROL;
const C = { red: (s) => '\x1b[31m' + s + '\x1b[0m', green: (s) => '\x1b[32m' + s + '\x1b[0m', yellow: (s) => '\x1b[33m' + s + '\x1b[0m' };
const info = (m) => console.log(C.green('[INFO]') + ' - ' + m);
const warn = (m) => console.log(C.yellow('[WARNING]') + ' - ' + m);
const error = (m) => console.log(C.red('[ERROR]') + ' - ' + m);
/** logger.error(...) then sys.exit(1): the ADK's handled failure. */
const fail = (m) => {
  error(m);
  process.exit(1);
};

function readJson(p, fallback) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return fallback;
  }
}

// ---- where the project is: the CLI oracle and the yaml parser ------------------------------------------
function projectRoot() {
  if (process.env.FAKE_ORCHESTRATE_PROJECT) return process.env.FAKE_ORCHESTRATE_PROJECT;
  let dir = path.dirname(fs.realpathSync(__filename));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'scripts', 'adk-cli', 'surface.json'))) return dir;
  return null;
}
const ROOT = projectRoot();
const surface = ROOT ? readJson(path.join(ROOT, 'scripts', 'adk-cli', 'surface.json'), null) : null;
// Loaded on first use: most calls (env, list, set-credentials, deploy, remove) read no YAML, and
// loading the package is a third of the CPU time of a call. `hasYaml()`: whether it can be loaded.
let yamlPackage;
function hasYaml() {
  if (yamlPackage === undefined) {
    try {
      yamlPackage = createRequire(path.join(ROOT || __dirname, 'package.json'))('yaml');
    } catch {
      yamlPackage = null;
    }
  }
  return yamlPackage !== null;
}
const YAML = {
  parse: (...a) => (hasYaml(), yamlPackage.parse(...a)),
  stringify: (...a) => (hasYaml(), yamlPackage.stringify(...a)),
};

// ---- the call log (before anything can fail: a refused call is still a call) -------------------------------
let stdinKind = 'unknown';
try {
  const st = fs.fstatSync(0);
  stdinKind = st.isCharacterDevice() ? 'char' : st.isFIFO() ? 'pipe' : st.isFile() ? 'file' : 'other';
} catch {
  stdinKind = 'closed';
}
const files = {};
for (let i = 0; i < argv.length - 1; i++) {
  if (['-f', '--file', '-r', '--requirements-file'].includes(argv[i])) {
    const p = path.resolve(argv[i + 1]);
    let content = null,
      mode = null;
    try {
      content = fs.readFileSync(p, 'utf8');
      mode = fs.statSync(p).mode & 0o777;
    } catch {}
    files[argv[i + 1]] = { content, mode };
  }
}
const selected = {};
for (const k of ['HOME', 'WXO_AGENT_DEPLOYMENT_TIMEOUT', 'NO_COLOR']) selected[k] = process.env[k];
if (logPath)
  fs.appendFileSync(
    logPath,
    JSON.stringify({ argv, cwd: process.cwd(), env: selected, stdin: stdinKind, files, pid: process.pid, time: Date.now() }) + '\n',
  );

// ---- state ------------------------------------------------------------------------------------------------
const state = statePath ? readJson(statePath, {}) : {};
state.envs = state.envs || {};
state.active = state.active || null;
state.counts = state.counts || {};
state.login = state.login || {};
state.tenants = state.tenants || {};
state.seq = state.seq || 0;
const save = () => {
  if (statePath) fs.writeFileSync(statePath, JSON.stringify(state, null, 1));
  writeAdkConfig();
};
/**
 * The ADK's own record of the environments, HOME/.config/orchestrate/config.yaml
 * (core/utils/config.py:14-48: environments.<name>.wxo_url / auth_type, context.active_environment),
 * which a caller may read for what `env list` does not show (the auth type). Written only under a
 * HOME in the system temp directory (tests, the demo): never over a real orchestrate setup.
 */
function writeAdkConfig() {
  const home = process.env.HOME;
  if (!home || !path.resolve(home).startsWith(path.resolve(require('os').tmpdir()) + path.sep)) return;
  const lines = ['context:', '  active_environment: ' + (state.active ? JSON.stringify(state.active) : 'null'), 'environments:'];
  for (const [name, env] of Object.entries(state.envs)) {
    lines.push('  ' + JSON.stringify(name) + ':', '    wxo_url: ' + JSON.stringify(env.url || ''));
    if (env.type) lines.push('    auth_type: ' + JSON.stringify(env.type));
  }
  try {
    fs.mkdirSync(path.join(home, '.config', 'orchestrate'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'orchestrate', 'config.yaml'), lines.join('\n') + '\n');
  } catch {
    /* an unwritable HOME: the state file still holds everything */
  }
}
const newId = (prefix) => {
  state.seq += 1;
  return prefix + '-' + String(state.seq).padStart(8, '0') + '-0000-4000-8000-000000000000';
};
const KINDS = [
  'connections',
  'tools',
  'toolkits',
  'knowledge_bases',
  'agents',
  'voice_configs',
  'models',
  'model_policies',
  'channels',
  'phone_configs',
];
function tenant() {
  const t = (state.tenants[state.active] = state.tenants[state.active] || {});
  for (const k of KINDS) t[k] = t[k] || {};
  return t;
}

// ---- typer's strictness (the CLI oracle) ------------------------------------------------------------------
/** click/typer usage error: the usage block and a boxed message on stderr, exit 2. */
/** The configuration of the connection's environment, or the controller's answer when there is none. */
function configurationOf(opts) {
  const conn = tenant().connections[opts.app_id];
  const block = conn && conn.environments[opts.environment];
  if (!block)
    fail(
      "No configuration '" +
        opts.environment +
        "' found for connection '" +
        opts.app_id +
        "'. Please create the connection using `orchestrate connections add --app-id " +
        opts.app_id +
        '` then add a configuration `orchestrate connections configure --app-id ' +
        opts.app_id +
        ' --environment ' +
        opts.environment +
        ' ...`',
    );
  return block;
}

function usageError(words, message) {
  const cmd = ['orchestrate', ...words].join(' ');
  const width = Math.max(60, message.length + 4);
  process.stderr.write('Usage: ' + cmd + ' [OPTIONS]' + (words.length < 2 ? ' COMMAND [ARGS]...' : '') + '\n');
  process.stderr.write("Try '" + cmd + " --help' for help.\n");
  process.stderr.write('╭─ Error ' + '─'.repeat(width - 8) + '╮\n');
  process.stderr.write('│ ' + message.padEnd(width - 2) + ' │\n');
  process.stderr.write('╰' + '─'.repeat(width) + '╯\n');
  process.exit(2);
}
const flagsText = (o) => o.flags.map((f) => "'" + f + "'").join(' / ');

/** argv → { words, record, opts (by parameter name), args } or a usage error. */
function parseCommand(tokens) {
  const rest = [...tokens];
  while (rest[0] === '--debug') rest.shift(); // init_callback's options (cli/init_helper.py)
  if (!surface) return { words: rest.slice(0, 2), record: null, opts: {}, args: [] };
  const words = [];
  while (rest.length && !rest[0].startsWith('-')) {
    const candidate = [...words, rest[0]].join(' ');
    if (surface.commands[candidate]) {
      words.push(rest.shift());
      return parseOptions(words, surface.commands[candidate], rest);
    }
    if (surface.groups.includes(candidate)) {
      words.push(rest.shift());
      continue;
    }
    usageError(words, "No such command '" + rest[0] + "'.");
  }
  if (rest.includes('--help')) {
    console.log('Usage: orchestrate ' + words.join(' ') + ' [OPTIONS] COMMAND [ARGS]...');
    process.exit(0);
  }
  if (rest.length) usageError(words, 'No such option: ' + rest[0]);
  usageError(words, 'Missing command.'); // no_args_is_help: the help, exit 2 (click 8.2)
}

function parseOptions(words, record, rest) {
  const byFlag = new Map();
  for (const o of record.options) {
    for (const f of o.flags) byFlag.set(f, { o, on: true });
    for (const f of o.offFlags || []) byFlag.set(f, { o, on: false });
  }
  const opts = {};
  const args = [];
  for (let i = 0; i < rest.length; i++) {
    let token = rest[i];
    if (token === '--help') {
      console.log('Usage: orchestrate ' + words.join(' ') + ' [OPTIONS]');
      process.exit(0);
    }
    if (token === '--') {
      args.push(...rest.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      args.push(token);
      continue;
    }
    let inline;
    if (token.startsWith('--') && token.includes('=')) {
      inline = token.slice(token.indexOf('=') + 1);
      token = token.slice(0, token.indexOf('='));
    }
    let hit = byFlag.get(token);
    // click: a short value option takes the rest of its token as the value (-nNAME, -n--x)
    if (!hit && /^-[A-Za-z]./.test(token) && byFlag.get(token.slice(0, 2)) && byFlag.get(token.slice(0, 2)).o.type !== 'bool') {
      inline = token.slice(2);
      token = token.slice(0, 2);
      hit = byFlag.get(token);
    }
    if (!hit && /^-[A-Za-z]{2,}$/.test(token)) {
      // -yv: several short boolean flags in one token
      const shorts = token
        .slice(1)
        .split('')
        .map((c) => byFlag.get('-' + c));
      if (shorts.every((s) => s && s.o.type === 'bool')) {
        for (const s of shorts) opts[s.o.name] = s.on;
        continue;
      }
    }
    if (!hit) {
      const close = [...byFlag.keys()].filter(
        (f) => f.startsWith('--') && token.startsWith('--') && (f.startsWith(token.slice(0, 4)) || token.startsWith(f.slice(0, 4))),
      );
      usageError(words, 'No such option: ' + token + (close.length ? ' Did you mean ' + close[0] + '?' : ''));
    }
    const { o, on } = hit;
    if (o.type === 'bool') {
      if (inline !== undefined) usageError(words, "Option '" + token + "' does not take a value.");
      opts[o.name] = on;
      continue;
    }
    const value = inline !== undefined ? inline : rest[++i];
    if (value === undefined) usageError(words, "Option '" + token + "' requires an argument.");
    if (o.choices && !o.choices.includes(value))
      usageError(
        words,
        'Invalid value for ' + flagsText(o) + ": '" + value + "' is not one of " + o.choices.map((c) => "'" + c + "'").join(', ') + '.',
      );
    if (o.type === 'int' && !/^-?\d+$/.test(value))
      usageError(words, 'Invalid value for ' + flagsText(o) + ": '" + value + "' is not a valid integer.");
    if (o.mustExist && !fs.existsSync(value))
      usageError(words, 'Invalid value for ' + flagsText(o) + ": File '" + value + "' does not exist.");
    if (o.multiple) (opts[o.name] = opts[o.name] || []).push(value);
    else opts[o.name] = value;
  }
  for (const o of record.options) if (o.required && opts[o.name] === undefined) usageError(words, 'Missing option ' + flagsText(o) + '.');
  const positional = record.arguments || [];
  if (args.length > positional.length)
    usageError(
      words,
      'Got unexpected extra argument' +
        (args.length - positional.length > 1 ? 's' : '') +
        ' (' +
        args.slice(positional.length).join(' ') +
        ')',
    );
  positional.forEach((a, i) => {
    if (args[i] === undefined && a.required) usageError(words, "Missing argument '" + a.name.toUpperCase() + "'.");
    if (args[i] !== undefined && a.choices && !a.choices.includes(args[i]))
      usageError(
        words,
        "Invalid value for '" +
          a.name.toUpperCase() +
          "': '" +
          args[i] +
          "' is not one of " +
          a.choices.map((c) => "'" + c + "'").join(', ') +
          '.',
      );
  });
  return { words, record, opts, args };
}

/**
 * A prompt: the text on stdout, then one line from stdin. End of input fails the way Python does —
 * input()/getpass raise EOFError (traceback limit 0: one line on stderr, exit 1), typer.confirm aborts
 * ("Aborted!", exit 1). A line given on stdin is the answer (tests can answer prompts).
 */
function prompt(text, how) {
  process.stdout.write(text);
  let line = null;
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(0, buf, 0, buf.length, null);
    if (n > 0) line = buf.toString('utf8', 0, n).split(/\r?\n/)[0];
  } catch {
    line = null;
  }
  if (line === null) {
    if (how === 'confirm') {
      process.stderr.write('\nAborted!\n');
      process.exit(1);
    }
    process.stderr.write('\nEOFError: EOF when reading a line\n');
    process.exit(1);
  }
  return line;
}

// ---- misbehaviour rules (tests) ------------------------------------------------------------------------------
const joined = argv.join(' ');
const rules = [];
if (controlPath) rules.push(...readJson(controlPath, []));
if (process.env.FAKE_ORCHESTRATE_FAIL) rules.push({ match: process.env.FAKE_ORCHESTRATE_FAIL, action: 'fail' });
if (process.env.FAKE_ORCHESTRATE_ERROR0) rules.push({ match: process.env.FAKE_ORCHESTRATE_ERROR0, action: 'error0' });
if (process.env.FAKE_ORCHESTRATE_HANG) rules.push({ match: process.env.FAKE_ORCHESTRATE_HANG, action: 'hang' });
const optRaw = (...names) => {
  for (let i = 0; i < argv.length - 1; i++) if (names.includes(argv[i])) return argv[i + 1];
  return undefined;
};
const fileName = () => {
  const f = optRaw('-f', '--file');
  return f ? path.basename(f).replace(/\.[^.]+$/, '') : '?';
};
const nameInFile = () => {
  const f = optRaw('-f', '--file');
  try {
    const m = /^(?:name|app_id):\s*(\S+)/m.exec(fs.readFileSync(f, 'utf8'));
    return m ? m[1] : fileName();
  } catch {
    return fileName();
  }
};

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
    case 'fail':
      error(rule.message || 'Failed to ' + argv.slice(0, 2).join(' ') + ': the server said no');
      process.exit(1);
    case 'error0':
      error(rule.message || 'Error deploying agent ' + (optRaw('-n', '--name') || nameInFile()));
      process.exit(0);
    case 'kb-failed':
      console.log("\u2717 Knowledge base '" + nameInFile() + "' import failed");
      process.exit(0);
    case 'no-tools':
      warn("No valid 'python' tools found in provided file '" + optRaw('-f', '--file') + "'. No tools have been imported");
      process.exit(0);
    case 'echo':
      console.log('called with: ' + joined);
      process.exit(0);
    case 'exception':
      console.error('ClientAPIException: ' + (rule.message || 'status 500'));
      process.exit(1);
    case 'hang':
      setTimeout(() => {}, 3600 * 1000);
      return;
  }
}

// ---- the command ------------------------------------------------------------------------------------------
const { words, opts, args } = parseCommand(argv);
const command = words.join(' ');

/** A spec file as the ADK reads it: YAML (PyYAML safe_load) or JSON; a parse failure is an exception line. */
function readSpec(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    console.error("FileNotFoundError: [Errno 2] No such file or directory: '" + file + "'");
    process.exit(1);
  }
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text);
    } catch (e) {
      console.error('JSONDecodeError: ' + e.message.split('\n')[0]);
      process.exit(1);
    }
  }
  if (!/\.ya?ml$/i.test(file)) {
    console.error('BadRequest: file must end in .json, .yaml or .yml');
    process.exit(1);
  }
  if (!hasYaml()) return {};
  try {
    return YAML.parse(text, { version: '1.1', uniqueKeys: false }) || {};
  } catch (e) {
    console.error('ScannerError: ' + e.message.split('\n')[0]);
    process.exit(1);
  }
}
const plain = (v) => JSON.parse(JSON.stringify(v === undefined ? null : v));
/** rich.print_json / rich JSON: indented JSON on stdout. */
const printJson = (value) => console.log(JSON.stringify(value, null, 2));

/** Commands that need an active environment (every tenant command) fail without one. */
function needActive() {
  if (!state.active || !state.envs[state.active])
    fail('No active environment set. Use `orchestrate env activate` to activate an environment');
}

/** Is the orchestrate env a CPD one (clients/common/utils.py:92 is_cpd_env)? */
const isCpd = (env) => env.type === 'cpd' || /^https:\/\/cpd/i.test(env.url || '');

// Platform tools every tenant has (agents may name them without importing them).
const isIntrinsic = (name) => /^i__.*__$/.test(name) || /^scheduling_tools/.test(name);

/** The names of the tools a `tools import` defines. */
function toolNamesOf(kind, file, text) {
  if (kind === 'python') {
    const out = [];
    // @tool / @tool(...name="x"...) before a def (agent_builder/tools/python_tool.py)
    for (const m of text.matchAll(/^@tool\b(\(([\s\S]*?)\))?\s*\n(?:@[^\n]*\n)*\s*(?:async\s+)?def\s+(\w+)/gm)) {
      const named = m[2] && /\bname\s*=\s*["']([^"']+)["']/.exec(m[2]);
      out.push(named ? named[1] : m[3]);
    }
    return out;
  }
  if (kind === 'openapi') {
    // agent_builder/tools/openapi_tool.py:132 — the name is the operationId with separator runs collapsed
    let spec;
    try {
      spec = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text, { version: '1.1' });
    } catch {
      spec = null;
    }
    const out = [];
    // (Python's `\W` is Unicode-aware: letters and digits of any script are word characters; HEAD makes no tool, openapi_tool.py:425)
    for (const item of Object.values((spec && spec.paths) || {})) {
      for (const [method, op] of Object.entries(item || {})) {
        if (method.toLowerCase() !== 'head' && op && typeof op === 'object' && op.operationId)
          out.push(String(op.operationId).replace(/(?:[^\p{L}\p{N}_]|_)+/gu, '_'));
      }
    }
    return out;
  }
  if (kind === 'flow' || kind === 'langflow') {
    try {
      const flow = JSON.parse(text);
      const name = kind === 'flow' ? (flow.spec && flow.spec.name) || flow.name : flow.name;
      // stored as written: tools_controller.py:337 (flow spec.name), langflow_tool.py:109-114 (a name with
      // other characters than letters, digits and `_` is refused, not rewritten)
      return name ? [String(name)] : [];
    } catch {
      return [];
    }
  }
  return [];
}

const SCHEME = {
  basic: 'basic_auth',
  bearer: 'bearer_token',
  api_key: 'api_key_auth',
  key_value: 'key_value_creds',
  kv: 'key_value_creds',
  oauth_auth_code_flow: 'oauth2',
  oauth_auth_password_flow: 'oauth2',
  oauth_auth_client_credentials_flow: 'oauth2',
  oauth_auth_on_behalf_of_flow: 'oauth2',
  oauth_auth_token_exchange_flow: 'oauth2',
  oauth_auth_direct_access_flow: 'oauth2',
};
const OAUTH_TYPE = {
  oauth_auth_code_flow: 'oauth2_auth_code',
  oauth_auth_password_flow: 'oauth2_password',
  oauth_auth_client_credentials_flow: 'oauth2_client_creds',
  oauth_auth_on_behalf_of_flow: 'oauth_on_behalf_of_flow',
  oauth_auth_token_exchange_flow: 'oauth2_token_exchange',
  oauth_auth_direct_access_flow: 'oauth2_direct_accesstoken',
};
// connections_controller.py:143-200 _validate_connection_params: what each kind needs
const REQUIRED_CREDENTIALS = {
  basic: ['username', 'password'],
  bearer: ['token'],
  api_key: ['api_key'],
  key_value: ['entries'],
  kv: ['entries'],
  oauth_auth_client_credentials_flow: ['client_id', 'client_secret', 'token_url'],
  oauth_auth_code_flow: ['client_id', 'client_secret', 'token_url', 'auth_url'],
  oauth_auth_password_flow: ['username', 'password', 'client_id', 'client_secret', 'token_url'],
  oauth_auth_on_behalf_of_flow: ['client_id', 'token_url', 'grant_type'],
  oauth_auth_token_exchange_flow: ['client_id', 'token_url', 'grant_type'],
};
const toolkitTool = (t, name) => Object.values(t.toolkits).some((k) => k.tools.includes(name));

const tenantCommands = /^(connections|tools|toolkits|knowledge-bases|agents|voice-configs|models|channels|phone)\b/;
if (tenantCommands.test(command)) needActive();

switch (command) {
  // ---- environments: cli/commands/environment/environment_controller.py ---------------------------------------
  case 'env list': {
    // :255 list_envs — active first, then sorted; a warning when none is active
    if (!state.active) warn('No active environment is currently set. Use `orchestrate env activate` to set one');
    const names = Object.keys(state.envs)
      .filter((n) => n !== state.active)
      .sort();
    if (state.active && state.envs[state.active]) names.unshift(state.active);
    for (const n of names) console.log(n + '  ' + (state.envs[n].url || 'N/A') + '  ' + (n === state.active ? C.green('(active)') : ''));
    break;
  }
  case 'env add': {
    const name = opts.name;
    // :199 the name 'local' is reserved: an [ERROR] and exit 0
    if (name === 'local') {
      error(
        "The name 'local' is a reserved environment name. Please select a different name or use `orchestrate env activate local` to swap to 'local'",
      );
      break;
    }
    if (state.envs[name]) {
      // :205-207 an existing name asks before it is overwritten (input(): EOFError on closed stdin)
      info("Existing environment with name '" + name + "' found.");
      const answer = prompt("Would you like to update the environment '" + name + "'? (Y/n)", 'input');
      if (answer.toLowerCase() === 'n') {
        info('No changes made to environments');
        break;
      }
    }
    // :210-219 url always; the auth type only when given (an old type stays otherwise)
    const before = state.envs[name] || {};
    state.envs[name] = { url: opts.url, type: opts.type || before.type || null };
    delete state.login[name]; // a changed URL or type needs a new login
    save();
    info("Environment '" + name + "' has been created");
    if (opts.activate) activate(name, {});
    break;
  }
  case 'env activate':
    activate(args[0], opts);
    break;
  case 'env remove': {
    const name = opts.name;
    if (!state.envs[name]) {
      info("No environment named '" + name + "' exists");
      break;
    } // :239
    if (name === state.active) {
      // :244-245 removing the active environment asks first
      const answer = prompt("The environment '" + name + "' is currently active, are you sure you wish to remove it? (y/N)", 'input');
      if (answer.toLowerCase() !== 'y') {
        info('No changes made to environments');
        break;
      }
      state.active = null;
    }
    delete state.envs[name];
    delete state.login[name];
    save();
    info("Successfully removed environment '" + name + "'");
    break;
  }

  // ---- connections: cli/commands/connections/connections_controller.py ---------------------------------------
  case 'connections import': {
    const spec = readSpec(opts.file);
    // :55-76 spec_version, kind, app_id, environments present; kind == connection
    for (const key of ['spec_version', 'kind', 'app_id', 'environments'])
      if (!spec[key]) fail("No '" + key + "' found in provided spec file. Please ensure the spec file is in the correct format");
    if (spec.kind !== 'connection')
      fail("Field 'kind' must have a value of 'connection'. Please ensure the spec file is a valid connection spec.");
    const t = tenant();
    const appId = String(spec.app_id);
    // :88-100 the application is created only when missing (import is an upsert per environment)
    if (!t.connections[appId]) {
      info("Creating connection '" + appId + "'");
      t.connections[appId] = { connection_id: newId('conn'), app_id: appId, environments: {} };
      if (spec.resource) t.connections[appId].resource = plain(spec.resource);
      info("Successfully created connection '" + appId + "'");
    }
    for (const [envName, block] of Object.entries(spec.environments || {})) {
      if (!['draft', 'live'].includes(envName)) {
        console.error("ValidationError: 1 validation error for ConnectionConfiguration\nenvironment\n  Input should be 'draft' or 'live'");
        process.exit(1);
      }
      const config = plain(block || {});
      delete config.credentials; // never sent: credentials are set with set-credentials
      addConfiguration(t.connections[appId], appId, envName, config);
    }
    save();
    break;
  }
  case 'connections add': {
    const t = tenant();
    // :536-561 add_connection: a 409 for an existing app id, exit 1
    if (t.connections[opts.app_id])
      fail(
        "Failed to create connection. A connection with the App ID '" +
          opts.app_id +
          "' already exists. Please select a different App ID or delete the existing resource.",
      );
    info("Creating connection '" + opts.app_id + "'");
    t.connections[opts.app_id] = { connection_id: newId('conn'), app_id: opts.app_id, environments: {} };
    save();
    info("Successfully created connection '" + opts.app_id + "'");
    break;
  }
  case 'connections configure': {
    const t = tenant();
    const conn = t.connections[opts.app_id];
    if (!conn) fail('{"detail":"Connection not found"}');
    const config = { kind: opts.kind, type: opts.type || 'team', sso: Boolean(opts.sso) };
    if (opts.server_url) config.server_url = opts.server_url;
    addConfiguration(conn, opts.app_id, opts.environment, config);
    save();
    break;
  }
  case 'connections set-credentials': {
    // :738-740 set-credentials needs that environment's configuration
    const block = configurationOf(opts);
    // :743-745 direct access tokens have no credentials to set
    if (block.config.kind === 'oauth_auth_direct_access_flow')
      fail(
        "Cannot set credentials for connection '" +
          opts.app_id +
          "' with auth type 'oauth2_direct_accesstoken'. This auth type does not support credential management through this command.",
      );
    const fields = Object.keys(opts)
      .filter((k) => !['app_id', 'environment'].includes(k) && opts[k] !== undefined && opts[k] !== false)
      .sort();
    const need = REQUIRED_CREDENTIALS[block.config.kind] || [];
    const missing = need.filter((f) => !fields.includes(f));
    // :143 _validate_connection_params: the kind's required flags (typer.BadParameter: exit 2)
    if (missing.length)
      usageError(
        words,
        'Missing flags --' + missing.map((m) => m.replace(/_/g, '-')).join(', --') + ' required for type ' + block.config.kind,
      );
    info("Setting credentials for environment '" + opts.environment + "' on connection '" + opts.app_id + "'");
    block.credentials = { fields, idp: Boolean(block.credentials && block.credentials.idp) };
    save();
    info("Credentials successfully set for '" + opts.environment + "' environment of connection '" + opts.app_id + "'"); // :772
    break;
  }
  case 'connections set-identity-provider': {
    const block = configurationOf(opts);
    // :788-798 only on-behalf-of OAuth with sso
    if (block.config.kind !== 'oauth_auth_on_behalf_of_flow')
      fail(
        "Identity Provider is only supported by 'oauth_on_behalf_of_flow' connections. Provided connection '" +
          opts.app_id +
          "' is of type '" +
          block.config.kind +
          "'",
      );
    if (!block.config.sso)
      fail(
        "Cannot set Identity Provider when 'sso' is false in configuration. Please enable sso for connection '" +
          opts.app_id +
          "' in environment '" +
          opts.environment +
          "' and try again.",
      );
    info("Setting identity provider for environment '" + opts.environment + "' on connection '" + opts.app_id + "'");
    block.credentials = { fields: (block.credentials && block.credentials.fields) || [], idp: true };
    save();
    info("Identity provider successfully set for '" + opts.environment + "' environment of connection '" + opts.app_id + "'");
    break;
  }
  case 'connections remove': {
    const t = tenant();
    info("Removing connection '" + opts.app_id + "'");
    // :579-589 the server's 404 body as the error, exit 1
    if (!t.connections[opts.app_id]) fail('{"detail":"Not Found"}');
    delete t.connections[opts.app_id];
    save();
    info("Connection '" + opts.app_id + "' successfully removed");
    break;
  }
  case 'connections list': {
    const t = tenant();
    if (opts.verbose && opts.format) fail('For connections list, `--verbose` and `--format` are mutually exclusive options'); // :593
    const rows = [];
    for (const conn of Object.values(t.connections)) {
      for (const envName of ['draft', 'live']) {
        const block = conn.environments[envName];
        if (!block) continue;
        rows.push({
          connection_id: conn.connection_id,
          app_id: conn.app_id,
          name: conn.app_id,
          security_scheme: SCHEME[block.config.kind] || null,
          auth_type: OAUTH_TYPE[block.config.kind] || null,
          environment: envName,
          preference: block.config.type || 'team',
          credentials_entered: Boolean(block.credentials),
        });
      }
    }
    if (opts.verbose) {
      printJson(rows);
      break;
    } // :601-608 one entry per configured environment
    if (!rows.length) {
      info('No connections found. You can create connections using `orchestrate connections add`');
      break;
    }
    for (const r of rows.filter((r) => !opts.environment || r.environment === opts.environment))
      console.log(
        r.app_id +
          '  ' +
          r.environment +
          '  ' +
          (r.auth_type || r.security_scheme) +
          '  ' +
          r.preference +
          '  ' +
          (r.credentials_entered ? '✅' : '❌'),
      );
    break;
  }
  case 'connections export': {
    const t = tenant();
    const appId = opts.app_id;
    const conn = appId && t.connections[appId];
    if (!conn) fail("No connection exists with the app-id '" + appId + "'"); // :362 _check_connection_exists
    const out = opts.output_file || '';
    // :638-641 a wrong extension is an [ERROR] at exit 0
    if (!/\.(ya?ml)$/i.test(out)) {
      error("Output file must end with the extension '.zip', '.yaml' or '.yml'");
      process.exit(0);
    }
    const environments = {};
    for (const envName of ['draft', 'live']) {
      if (conn.environments[envName]) environments[envName] = plain(conn.environments[envName].config);
      else warn('No ' + envName + " configuration found for connection '" + appId + "'"); // :571
    }
    const doc = {
      spec_version: 'v1',
      kind: 'connection',
      app_id: appId,
      ...(conn.resource ? { resource: conn.resource } : {}),
      environments,
    };
    fs.writeFileSync(out, hasYaml() ? YAML.stringify(doc) : JSON.stringify(doc, null, 2));
    info('Successfully exported connection file for ' + appId);
    break;
  }

  // ---- tools: cli/commands/tools/tools_controller.py ------------------------------------------------------------
  case 'tools import': {
    const t = tenant();
    const kind = opts.kind;
    const file = opts.file;
    if (!file) fail('--file is required');
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      fail("File '" + file + "' does not exist");
    }
    const appIds = opts.app_id || [];
    // :85-100 openapi takes one app id (typer.BadParameter: exit 2)
    if (kind === 'openapi' && appIds.length > 1) usageError(words, "Invalid value: Kind 'openapi' can only take one app-id");
    for (const a of appIds) {
      const appId = a.includes('=') ? a.split('=').pop() : a;
      const conn = t.connections[appId];
      // :111-115 validate_app_ids: an unknown app id warns; a python tool's binding then needs the
      // connection's id (client/connections/utils.py:42-45: "No connection exists", exit 1)
      if (!conn) {
        warn("No connection found for provided app-id '" + appId + "'. Please create the connection using `orchestrate connections add`");
        if (kind === 'python') fail("No connection exists with the app-id '" + appId + "'");
        continue;
      }
      // :120-155 python and openapi tools skip the environment checks; a langflow tool needs the
      // draft configuration (exit 1) and warns without the live one
      if (kind !== 'langflow') continue;
      if (!conn.environments.draft) fail("Connection '" + appId + "' is not configured in the 'draft' environment.");
      if (!conn.environments.live)
        warn(
          "Connection '" +
            appId +
            "' is not configured in the 'live' environment. If you deploy this tool without setting the live configuration the tool will error during execution.",
        );
    }
    const names = toolNamesOf(kind, file, text);
    // :520 nothing found is a warning at exit 0
    if (!names.length) {
      warn("No valid '" + kind + "' tools found in provided file '" + file + "'. No tools have been imported");
      break;
    }
    if (opts.safe)
      for (const n of names)
        if (t.tools[n]) {
          info("Found existing tool named '" + n + "'. Updating...");
          promptConfirmation();
        }
    for (const name of names) {
      const existing = t.tools[name];
      const spec = {
        name,
        id: existing ? existing.id : newId('tool'),
        display_name: null,
        description: '',
        permission: 'read_only',
        input_schema: null,
        output_schema: null,
        binding: toolBinding(kind, file, name, appIds, t),
        toolkit_id: null,
        is_async: false,
        response_format: 'content',
        workspace: null,
      };
      t.tools[name] = {
        id: spec.id,
        kind,
        file: path.basename(file),
        content: text,
        app_ids: appIds,
        ...(opts.requirements_file
          ? { requirements: fs.existsSync(opts.requirements_file) ? fs.readFileSync(opts.requirements_file, 'utf8') : null }
          : {}),
        ...(opts.package_root ? { package_root: path.basename(opts.package_root) } : {}),
        spec,
      };
      // :834 / :851 — import is an upsert by name
      info("Tool '" + name + "' " + (existing ? 'updated' : 'imported') + ' successfully');
    }
    save();
    break;
  }
  case 'tools remove': {
    const t = tenant();
    // :856-866 an unknown name only warns (exit 0)
    if (!t.tools[opts.name]) {
      warn("No tool named '" + opts.name + "' found");
      break;
    }
    delete t.tools[opts.name];
    save();
    info('Successfully removed tool ' + opts.name);
    break;
  }
  case 'tools list': {
    const t = tenant();
    if (opts.verbose && opts.format) fail('For tools list, `--verbose` and `--format` are mutually exclusive options'); // :527
    const list = [
      ...Object.values(t.tools).map((x) => x.spec),
      ...Object.values(t.toolkits).flatMap((k) =>
        k.tools.map((n) => ({
          name: n,
          id: k.toolIds[n],
          description: '',
          permission: 'read_only',
          binding: { mcp: { server_url: null, source: 'public', connections: {} } },
          toolkit_id: k.id,
        })),
      ),
    ];
    if (opts.verbose) {
      printJson(list);
      break;
    } // :548-553
    for (const s of list) console.log(s.name + '  ' + (s.description || ''));
    break;
  }

  // ---- toolkits: cli/commands/toolkit/toolkit_controller.py ------------------------------------------------------
  case 'toolkits import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    const name = spec.name;
    const kind = spec.kind || 'mcp';
    const existing = t.toolkits[name];
    // :207-210 an MCP toolkit is never updated: re-importing one fails
    if (existing && kind === 'mcp') fail("Existing MCP toolkit found with name '" + name + "'. Failed to create toolkit.");
    const appIds = opts.app_id || spec.connections || [];
    for (const a of appIds) if (!t.connections[a]) fail("No connection exists with the app-id '" + a + "'");
    const tools = Array.isArray(spec.tools)
      ? spec.tools.filter((x) => x !== '*')
      : typeof spec.tools === 'string' && spec.tools !== '*'
        ? spec.tools.split(',').map((s) => s.trim())
        : [];
    const id = existing ? existing.id : newId('toolkit');
    const toolNames = tools.map((x) => name + ':' + x);
    t.toolkits[name] = {
      id,
      kind,
      spec: plain(spec),
      app_ids: appIds,
      tools: toolNames,
      toolIds: Object.fromEntries(toolNames.map((n) => [n, (existing && existing.toolIds && existing.toolIds[n]) || newId('tool')])),
    };
    save();
    // :342 / :392
    info(existing ? 'Successfully updated toolkit ' + name : 'Successfully imported tool kit ' + name);
    break;
  }
  case 'toolkits remove': {
    const t = tenant();
    // :429-442 an unknown name only warns
    if (!t.toolkits[opts.name]) {
      warn("No toolkit named '" + opts.name + "' found");
      break;
    }
    delete t.toolkits[opts.name];
    save();
    info('Successfully removed tool ' + opts.name);
    break;
  }
  case 'toolkits list': {
    const t = tenant();
    if (opts.verbose && opts.format) fail('For toolkits list, `--verbose` and `--format` are mutually exclusive options'); // :582
    const list = Object.values(t.toolkits).map((k) => ({
      id: k.id,
      tenant_id: null,
      name: k.spec.name,
      description: k.spec.description || null,
      created_on: null,
      updated_at: null,
      created_by: null,
      created_by_username: null,
      tools: k.tools.map((n) => k.toolIds[n]),
      workspace_id: null,
      workspace: null,
      mcp: k.kind === 'mcp' ? mcpOf(k.spec, k.app_ids, t) : null,
      python: k.kind === 'python' ? { package_root: k.spec.package_root || null } : null,
      deployment_tier: k.spec.deployment_tier || null,
    }));
    if (opts.verbose) {
      printJson(list);
      break;
    } // :587-591
    for (const k of list) console.log(k.name + '  ' + (k.description || ''));
    break;
  }

  // ---- knowledge bases: cli/commands/knowledge_bases/knowledge_bases_controller.py ----------------------------------
  case 'knowledge-bases import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    const name = spec.name;
    const appId = opts.app_id;
    if (appId && !t.connections[appId]) fail("No connection exists with the app-id '" + appId + "'"); // :141
    const dir = path.dirname(opts.file);
    const documents = [];
    for (const d of spec.documents || []) {
      const rel = typeof d === 'string' ? d : d && d.path;
      if (!rel) continue;
      if (!fs.existsSync(path.resolve(dir, rel))) {
        console.error("FileNotFoundError: [Errno 2] No such file or directory: '" + path.resolve(dir, rel) + "'");
        process.exit(1);
      }
      documents.push(path.basename(rel));
    }
    const existing = t.knowledge_bases[name];
    if (existing && opts.safe) {
      info("Existing knowledge base '" + name + "' found. Updating...");
      promptConfirmation();
    }
    const id = existing ? existing.id : newId('kb');
    t.knowledge_bases[name] = { id, spec: plain(spec), documents };
    save();
    // :177 upsert: an existing name is updated; :350 the status line after polling
    if (existing) info("Existing knowledge base '" + name + "' found. Updating...");
    console.log('\u2713 Successfully ' + (existing ? 'updated' : 'imported') + " knowledge base '" + name + "'");
    break;
  }
  case 'knowledge-bases remove': {
    const t = tenant();
    const name = opts.name;
    // :400-401 an unknown name: a warning and exit 1
    if (!t.knowledge_bases[name]) {
      warn("No knowledge base '" + name + "' found");
      process.exit(1);
    }
    delete t.knowledge_bases[name];
    save();
    info("Successfully removed knowledge base with name '" + name + "'");
    break;
  }
  case 'knowledge-bases list': {
    const t = tenant();
    if (opts.verbose && opts.format) fail('For knowledge base list, `--verbose` and `--format` are mutually exclusive options'); // :489
    const list = Object.values(t.knowledge_bases).map((kb) => {
      const out = { id: kb.id, ...kb.spec };
      delete out.spec_version;
      delete out.kind;
      if (kb.documents.length) out.documents = kb.documents.map((d) => ({ metadata: { original_file_name: d } }));
      return out;
    });
    if (opts.verbose) {
      printJson(list);
      break;
    } // :496-499
    for (const kb of list) console.log(kb.name + '  ' + (kb.description || ''));
    break;
  }

  // ---- agents: cli/commands/agents/agents_controller.py --------------------------------------------------------------
  case 'agents import': {
    const t = tenant();
    if (opts.experimental_package_root && opts.file) {
      console.error('ValueError: Specify either --file or --experimental-package-root, not both');
      process.exit(1);
    }
    if (!opts.file && !opts.experimental_package_root) {
      console.error('ValueError: Either --file or --experimental-package-root is required');
      process.exit(1);
    }
    const spec = opts.file
      ? readSpec(opts.file)
      : readSpec(path.join(opts.experimental_package_root, opts.experimental_config_file || 'config.yaml'));
    const kind = spec.kind || 'native';
    const name = spec.name;
    if (!['native', 'external', 'assistant'].includes(kind)) {
      console.error("BadRequest: Field 'kind' must be one of native, external, assistant");
      process.exit(1);
    }
    // :945 / :1074 / :1120 / :843 every reference must already exist on the tenant
    for (const tool of spec.tools || [])
      if (!t.tools[tool] && !isIntrinsic(tool) && !toolkitTool(t, tool))
        fail("Failed to find tool. No tools found with the name '" + tool + "'");
    for (const kb of spec.knowledge_base || [])
      if (!t.knowledge_bases[kb]) fail("Failed to find knowledge base. No knowledge base found with the name '" + kb + "'");
    for (const tk of spec.toolkits || []) if (!t.toolkits[tk]) fail("Failed to find toolkit. No toolkit found with the name '" + tk + "'");
    for (const c of spec.collaborators || [])
      if (!t.agents[c]) fail("Failed to find collaborator. No agents found with the name '" + c + "'");
    if (spec.voice_configuration && !t.voice_configs[spec.voice_configuration])
      fail("No voice_configs with the name '" + spec.voice_configuration + "' found. Failed to get config"); // :1219
    const existing = t.agents[name];
    // :1397 one name, one kind
    if (existing && existing.kind !== kind)
      fail("An agent with the name '" + name + "' already exists with a different kind. Failed to create agent");
    if (existing && opts.safe) {
      info("Found existing agent named '" + name + "'. Updating...");
      promptConfirmation();
    }
    const label = kind === 'native' ? 'Agent' : kind === 'external' ? 'External Agent' : 'Assistant Agent';
    t.agents[name] = {
      id: existing ? existing.id : newId('agent'),
      kind,
      draft: plain({ ...spec, ...(opts.app_id ? { app_id: opts.app_id } : {}) }),
      live: existing ? existing.live : null,
    };
    save();
    // :1684 / :1747-1789 import is an upsert by name
    if (existing) {
      info('Existing ' + label + " '" + name + "' found. Updating...");
      info(label + " '" + name + "' updated successfully");
    } else info(label + " '" + name + "' imported successfully");
    break;
  }
  case 'agents deploy': {
    const t = tenant();
    const agent = t.agents[opts.name];
    // :2682-2690
    if (agent && agent.kind !== 'native')
      fail("No native agent found with name '" + opts.name + "'. Only Native Agents can be deployed to a Live Environment");
    if (!agent) fail("No native agents with the name '" + opts.name + "' found. Failed to get agent");
    // reference §2: the platform refuses a release whose tools' connections have no live
    // configuration with credentials; the CLI reports the failed release as [ERROR] at exit 0 (:2719)
    const missing = liveGaps(t, agent.draft);
    if (missing.length) {
      error('Error deploying agent ' + opts.name);
      console.log('  ' + missing.join('; '));
      process.exit(0);
    }
    agent.live = plain(agent.draft);
    save();
    info('Successfully deployed agent ' + opts.name); // :2717
    break;
  }
  case 'agents undeploy': {
    const t = tenant();
    const agent = t.agents[opts.name];
    if (!agent || agent.kind !== 'native')
      fail("No native agent found with name '" + opts.name + "'. Only Native Agents can be undeployed from a Live Environment"); // :2735
    agent.live = null;
    save();
    info('Successfully undeployed agent ' + opts.name); // :2776
    break;
  }
  case 'agents remove': {
    const t = tenant();
    const agent = t.agents[opts.name];
    // :2367-2395 looked up per kind; an unknown name only warns (exit 0)
    if (!agent || agent.kind !== opts.kind) {
      warn("No agent named '" + opts.name + "' found");
      break;
    }
    delete t.agents[opts.name];
    for (const key of Object.keys(t.channels)) if (t.channels[key].agent === opts.name) delete t.channels[key];
    save();
    info('Successfully removed agent ' + opts.name);
    break;
  }
  case 'agents list': {
    const t = tenant();
    if (opts.verbose && opts.format) fail('For agents list, `--verbose` and `--format` are mutually exclusive options'); // :2122
    // :2112-2357 verbose: {"native": [...], "assistant": [...], "external": [...]} — the draft specs as
    // stored, references as ids (no name resolution); kinds not asked for stay null
    const out = { native: null, assistant: null, external: null };
    for (const kind of ['native', 'assistant', 'external']) {
      if (opts.kind && opts.kind !== kind) continue;
      out[kind] = Object.values(t.agents)
        .filter((a) => a.kind === kind)
        .map((a) => storedAgent(t, a));
    }
    if (opts.verbose) {
      printJson(out);
      break;
    }
    for (const kind of Object.keys(out)) for (const a of out[kind] || []) console.log(a.name + '  ' + kind + '  ' + (a.description || ''));
    break;
  }
  case 'agents export': {
    const t = tenant();
    const agent = t.agents[opts.name];
    // :255-264 get_agent_details
    if (!agent || agent.kind !== opts.kind) fail("No agents with the name '" + opts.name + "' found. Failed to get agent");
    const out = opts.output_file;
    const ext = path.extname(out);
    // :2440-2445 --agent-only writes YAML; without it a zip with the dependencies
    if (!opts.agent_only_flag && ext !== '.zip')
      fail("Output file must end with the extension '.zip'. Provided file '" + out + "' ends with '" + ext + "'");
    if (opts.agent_only_flag && ext !== '.yaml' && ext !== '.yml')
      fail("Output file must end with the extension '.yaml' or '.yml'. Provided file '" + out + "' ends with '" + ext + "'");
    if (!opts.agent_only_flag) fail('the orchestrate stand-in does not write zip exports; use --agent-only');
    if (agent.draft.restrictions === 'non_editable') {
      warn("Agent '" + opts.name + "' is not editable and cannot be exported");
      break;
    } // :2448
    // :2450-2465 the spec with names resolved, without id and hidden, spec_version v1
    const spec = plain(agent.draft);
    delete spec.hidden;
    delete spec.id;
    spec.spec_version = 'v1';
    const ordered = { spec_version: 'v1', kind: agent.kind, ...spec };
    info("Exported agent definition for '" + opts.name + "' to '" + out + "'");
    fs.writeFileSync(out, hasYaml() ? YAML.stringify(ordered) : JSON.stringify(ordered, null, 2));
    break;
  }

  // ---- voice configurations: cli/commands/voice_configurations/voice_configurations_controller.py ----------------------------
  case 'voice-configs import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    const existing = t.voice_configs[spec.name];
    const id = existing ? existing.id : newId('voice');
    t.voice_configs[spec.name] = { id, spec: plain(spec) };
    save();
    // :158-167 upsert by name; :131 / :141 (the ADK's spelling)
    info('Sucessfully ' + (existing ? 'updated' : 'created') + " voice config '" + spec.name + "'. id: '" + id + "'");
    break;
  }
  case 'voice-configs remove': {
    const t = tenant();
    const name = opts.config_name || opts.name;
    // :178-185 an unknown name is an [INFO] (exit 0)
    if (!t.voice_configs[name]) {
      info("Voice config '" + name + "' not found");
      break;
    }
    delete t.voice_configs[name];
    save();
    info("Successfully deleted voice config '" + name + "'");
    break;
  }

  // ---- models and policies: cli/commands/models/models_controller.py ------------------------------------------------------
  case 'models import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    if (!spec.spec_version) fail("Field 'spec_version' not provided. Please ensure provided spec conforms to a valid spec format"); // :120
    // :279-280 stored as virtual-model/<name>
    const name = String(spec.name).startsWith('virtual-model/') ? String(spec.name) : 'virtual-model/' + spec.name;
    const provider = name.split('/').find((x) => x !== 'virtual-model' && x !== 'virtual-policy');
    const config = { ...(spec.provider_config || {}), provider };
    let connectionId = null;
    if (opts.app_id) {
      // :294-298 → client/connections/utils.py:34-59 get_connection_id: the connection must exist, and
      // each configured environment must be key_value (oauth2 for openai oauth2 client credentials)
      const conn = t.connections[opts.app_id];
      if (!conn) fail("No connection exists with the app-id '" + opts.app_id + "'");
      const supported = provider === 'openai-oauth2-client-creds' ? ['oauth2'] : ['key_value_creds'];
      for (const env of ['draft', 'live']) {
        const c = conn.environments && conn.environments[env];
        const scheme = c && c.config && SCHEME[c.config.kind];
        if (scheme && !supported.includes(scheme))
          fail(
            'Only ' +
              supported.join(', ') +
              " credentials are currently supported. Provided connection '" +
              opts.app_id +
              "' is of type '" +
              scheme +
              "' in environment '" +
              env +
              "'",
          );
      }
      connectionId = conn.connection_id;
    }
    // model_provider_mapper.py:181-216 every provider needs api_key (bedrock: or the aws key pair; ollama
    // also custom_host; watsonx also a space/project/deployment id); without -a a missing one is an error
    const has = (k) => config[k] !== undefined && config[k] !== null;
    const required = provider === 'bedrock' ? [] : provider === 'openai-oauth2-client-creds' ? ['custom_host'] : ['api_key'];
    if (provider === 'ollama') required.push('custom_host');
    const missing = required.filter((k) => !has(k));
    if (provider === 'bedrock' && !has('api_key') && !(has('aws_secret_access_key') && has('aws_access_key_id')))
      missing.push('api_key or (aws_secret_access_key and aws_access_key_id)');
    if (provider === 'watsonx' && !['watsonx_space_id', 'watsonx_project_id', 'watsonx_deployment_id'].some(has))
      missing.push('watsonx_space_id or watsonx_project_id or watsonx_deployment_id');
    if (provider === 'openai-oauth2-client-creds' && !opts.app_id)
      fail('Please create an oauth2 client credentials connection then bind it to the model with `--app-id`');
    if (missing.length && !opts.app_id) {
      error('Missing configuration variable(s) required for the provider ' + provider + ':' + missing.map((m) => '\n\t  - ' + m).join(''));
      fail(
        "Please provide the above values in the provider config. For secret values (e.g. 'api_key') create a key_value connection `orchestrate connections add` then bind it to the model with `--app-id`",
      );
    }
    if (missing.length)
      info(
        "Be sure to include the following required fields for provider '" +
          provider +
          "' in the connection '" +
          opts.app_id +
          "':" +
          missing.map((m) => '\n\t  - ' + m).join(''),
      );
    const existing = t.models[name];
    t.models[name] = {
      id: existing ? existing.id : newId('model'),
      spec: plain({ ...spec, name, ...(connectionId ? { connection_id: connectionId } : {}) }),
    };
    save();
    // :341-361 upsert
    if (existing) {
      info("Existing model '" + name + "' found. Updating...");
      info("Model '" + name + "' updated successfully");
    } else info("Successfully added the model '" + name + "'");
    break;
  }
  case 'models remove': {
    const t = tenant();
    // :363-373 the stored name; an unknown one is an error, exit 1
    if (!t.models[opts.name]) fail("No model found with the name '" + opts.name + "'");
    delete t.models[opts.name];
    save();
    info("Successfully removed the model '" + opts.name + "'");
    break;
  }
  case 'models policy import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    // :453-463 every target names a stored model (virtual-model/…)
    for (const m of policyTargets(spec.policy)) if (!t.models[m]) fail("No model found with the name '" + m + "'");
    // :465-466 stored as virtual-policy/<name>
    const name = String(spec.name).startsWith('virtual-policy/') ? String(spec.name) : 'virtual-policy/' + spec.name;
    const existing = t.model_policies[name];
    t.model_policies[name] = { id: existing ? existing.id : newId('policy'), spec: plain({ ...spec, name }) };
    save();
    // :577-597 upsert
    if (existing) {
      info("Existing model policy '" + name + "' found. Updating...");
      info("Model policy '" + name + "' updated successfully");
    } else info("Successfully added the model policy '" + name + "'");
    break;
  }
  case 'models policy remove': {
    const t = tenant();
    // :621-633 an unknown name is an error, exit 1
    if (!t.model_policies[opts.name]) fail("No model policy found with the name '" + opts.name + "'");
    delete t.model_policies[opts.name];
    save();
    info("Successfully removed the policy '" + opts.name + "'");
    break;
  }

  // ---- channels: cli/commands/channels/channels_controller.py -----------------------------------------------------------------
  case 'channels import': {
    const t = tenant();
    const agent = t.agents[opts.agent_name];
    if (!agent) fail("Agent '" + opts.agent_name + "' not found");
    if (opts.env === 'live' && !agent.live)
      fail("Agent '" + opts.agent_name + "' has no live environment. Deploy it first with `orchestrate agents deploy`");
    const spec = readSpec(opts.file);
    // :606-614 webchat is not created through the API: a warning, nothing stored
    if ((spec.channel || 'webchat') === 'webchat') {
      warn(
        'Webchat channels cannot be created or updated via the channels API.\nWebchat is automatically available for all agents.\nTo generate webchat embed code, use:\n  orchestrate channels webchat embed --agent-name <agent_name> --env <draft|live>',
      );
      break;
    }
    const key = opts.agent_name + '/' + opts.env + '/' + spec.channel + '/' + spec.name;
    const sameType = Object.entries(t.channels).filter(
      ([k, c]) => c.agent === opts.agent_name && c.env === opts.env && c.type === spec.channel && k !== key,
    );
    // :446-455 one channel per type and environment
    if (!t.channels[key] && sameType.length)
      fail(
        "A channel of type '" +
          spec.channel +
          "' already exists in this environment. Only one channel per type is allowed per environment. To use multiple channels of the same type, create them in different environments (draft/live).",
      );
    const existing = t.channels[key];
    const id = existing ? existing.id : newId('channel');
    t.channels[key] = { id, agent: opts.agent_name, env: opts.env, type: spec.channel, spec: plain(spec) };
    save();
    // :631-640 upsert by name; :465 / :498
    if (existing) {
      info("Found existing channel '" + spec.name + "', updating...");
      info("Successfully updated channel '" + spec.name + "'. id: '" + id + "'");
    } else info("Successfully created channel '" + spec.name + "'. id: '" + id + "'");
    break;
  }
  case 'channels delete': {
    const t = tenant();
    if (!t.agents[opts.agent_name]) fail("Agent '" + opts.agent_name + "' not found");
    const found = Object.entries(t.channels).find(
      ([, c]) =>
        c.agent === opts.agent_name &&
        c.env === opts.env &&
        c.type === opts.channel_type &&
        (opts.channel_name ? c.spec.name === opts.channel_name : c.id === opts.channel_id),
    );
    if (!opts.channel_name && !opts.channel_id) fail('Either --id or --name must be provided'); // :318
    if (!found)
      fail(
        opts.channel_name
          ? "Channel with name '" + opts.channel_name + "' not found"
          : "Channel with ID '" + opts.channel_id + "' not found",
      ); // :331 / :354
    // channels_command.py:151-152 asks unless --yes
    if (!opts.confirm) {
      const ok = prompt("Are you sure you want to delete channel '" + (opts.channel_name || found[1].id) + "'? [y/N]: ", 'confirm');
      if (!/^y/i.test(ok)) {
        console.log('Deletion cancelled');
        break;
      }
    }
    delete t.channels[found[0]];
    save();
    info("Successfully deleted channel '" + found[1].id + "'"); // :755
    break;
  }

  // ---- phone configurations: cli/commands/phone/phone_controller.py --------------------------------------------------------------
  case 'phone import': {
    const t = tenant();
    const spec = readSpec(opts.file);
    const existing = t.phone_configs[spec.name];
    const id = existing ? existing.id : newId('phone');
    t.phone_configs[spec.name] = { id, spec: plain(spec), attached: existing ? existing.attached : [] };
    save();
    // :390-412 create or update by name (clients/phone/phone_client.py:122-150)
    info(existing ? "Found existing phone config '" + spec.name + "', updating..." : "Creating new phone config '" + spec.name + "'...");
    info('Successfully ' + (existing ? 'updated' : 'created') + " phone config '" + spec.name + "'. id: '" + id + "'");
    break;
  }
  case 'phone attach':
  case 'phone detach': {
    const t = tenant();
    const config = phoneByName(t);
    if (!t.agents[opts.agent_name]) fail('Agent not found: ' + opts.agent_name); // :741-743
    // :92-98 attachments exist only for the Genesys Audio Connector
    if (config.spec.service_provider !== 'genesys_audio_connector')
      fail(
        'Agent ' + (command === 'phone attach' ? 'attachment' : 'detachment') + ' is only supported for Genesys Audio Connector channels. ',
      );
    const attached = config.attached.some((a) => a.agent === opts.agent_name && a.env === opts.env);
    if (command === 'phone attach') {
      // :755-765 an existing attachment is an error, exit 1
      if (attached)
        fail(
          "Agent '" +
            opts.agent_name +
            "' / Environment '" +
            opts.env +
            "' is already attached to phone config '" +
            config.spec.name +
            "'.",
        );
      config.attached.push({ agent: opts.agent_name, env: opts.env });
      save();
      info(
        "Successfully attached agent '" + opts.agent_name + "' / environment '" + opts.env + "' to phone config '" + config.spec.name + "'",
      );
    } else {
      // phone_command.py:172-173 asks unless --yes; :828-832 not attached is an error
      if (!opts.confirm) {
        const ok = prompt(
          "Are you sure you want to detach agent '" +
            opts.agent_name +
            "' / environment '" +
            opts.env +
            "' from this phone config? [y/N]: ",
          'confirm',
        );
        if (!/^y/i.test(ok)) {
          console.log('Detach cancelled');
          break;
        }
      }
      if (!attached)
        fail(
          "Agent '" + opts.agent_name + "' / Environment '" + opts.env + "' is not attached to phone config '" + config.spec.name + "'.",
        );
      config.attached = config.attached.filter((a) => !(a.agent === opts.agent_name && a.env === opts.env));
      save();
      info(
        "Successfully detached agent '" +
          opts.agent_name +
          "' / environment '" +
          opts.env +
          "' from phone config '" +
          config.spec.name +
          "'",
      );
    }
    break;
  }
  case 'phone delete': {
    const t = tenant();
    const config = phoneByName(t);
    // phone_command.py:86-87 asks unless --yes
    if (!opts.confirm) {
      const ok = prompt("Are you sure you want to delete phone config '" + (opts.config_name || config.id) + "'? [y/N]: ", 'confirm');
      if (!/^y/i.test(ok)) {
        console.log('Deletion cancelled');
        break;
      }
    }
    delete t.phone_configs[config.spec.name];
    save();
    info("Successfully deleted phone config '" + config.id + "'"); // :595
    break;
  }

  // ---- the lists drift reads for the kinds without `list -v` of the common shape ---------------------------------------
  case 'voice-configs list': {
    const t = tenant();
    // voice_configurations_controller.py:78-84: -v prints each VoiceConfiguration's model_dump(exclude_none):
    // the spec with its defaults (types.py:306-330), its id and the agents that use it
    const list = Object.values(t.voice_configs).map((v) => {
      const { spec_version, kind, ...spec } = v.spec;
      const attached = Object.values(t.agents)
        .filter((a) => a.draft && a.draft.voice_configuration === v.spec.name)
        .map((a) => ({ id: a.id, name: a.draft.name }));
      return {
        llm_aggregation_timeout_seconds: 0.8,
        language: 'en-us',
        additional_languages: {},
        ...spec,
        voice_configuration_id: v.id,
        attached_agents: attached,
      };
    });
    if (opts.verbose) {
      printJson(list);
      break;
    }
    for (const v of list)
      console.log(
        v.name +
          '  ' +
          v.voice_configuration_id +
          '  ' +
          ((v.speech_to_text || {}).provider || '') +
          '  ' +
          ((v.text_to_speech || {}).provider || ''),
      );
    break;
  }
  case 'models list': {
    const t = tenant();
    // models_controller.py:222-250: the platform's models, then the custom ones (virtual-model/…) and the
    // policies (virtual-policy/…), custom first; --raw prints `- <markers> <name>: <description>`
    const custom = [
      ...Object.keys(t.models)
        .sort()
        .map((n) => ({ name: n, description: t.models[n].spec.description })),
      ...Object.keys(t.model_policies)
        .sort()
        .map((n) => ({ name: n, description: t.model_policies[n].spec.description })),
    ];
    const rows = [
      ...custom.map((m) => ['\u25c6 ' + m.name, m.description || 'No description provided.']),
      ['\u2714\u2605  groq/openai/gpt-oss-120b', 'OpenAI gpt-oss-120b on Groq.'],
      ['\u2605  watsonx/ibm/granite-3-8b-instruct', 'IBM Granite 3 8B Instruct.'],
    ];
    warn('watsonx.ai models that are not recommended will be hidden from this command, specify `-a` to see all available models');
    if (opts.print_raw) {
      console.log('Available Models:');
      for (const [name, description] of rows) console.log('- ' + name + ': ' + description);
      console.log(
        '\u2714 indicates the default model\n\u2605 indicates a supported and preferred model\n\u25c6 indicates a model from a custom provider\n\u2716 indicates a model disallowed by tenant admin',
      );
      break;
    }
    console.log('Available Models');
    for (const [name, description] of rows) console.log('| ' + name + ' | ' + description + ' |');
    break;
  }
  case 'phone list-configs': {
    const t = tenant();
    // phone_controller.py:425-456: nothing → an [INFO] line; -v → the configs as JSON
    let configs = Object.values(t.phone_configs).map((c) => {
      const { spec_version, kind, ...spec } = c.spec;
      return {
        id: c.id,
        ...spec,
        attached_environments: c.attached.map((a) => ({
          agent_id: (t.agents[a.agent] || {}).id || a.agent,
          environment_id: a.env + '-env-id',
        })),
      };
    });
    if (opts.channel_type) configs = configs.filter((c) => c.service_provider === opts.channel_type);
    if (!configs.length) {
      info('No phone configs found');
      break;
    }
    if (opts.verbose) {
      printJson(configs);
      break;
    }
    for (const c of configs) console.log(c.name + '  ' + c.service_provider + '  ' + c.id);
    break;
  }
  case 'channels list-channels': {
    const t = tenant();
    // channels_command.py:45-56 → channels_controller.py:213-262: the agent and its environment must exist
    const agent = t.agents[opts.agent_name];
    if (!agent) fail("Agent '" + opts.agent_name + "' not found");
    if (opts.env === 'live' && !agent.live)
      fail("Agent '" + opts.agent_name + "' has no live environment. Deploy it first with `orchestrate agents deploy`");
    if (opts.channel_type === 'webchat')
      fail(
        'Webchat channels cannot be listed via the channels API.\nWebchat is automatically available for all agents.\nTo generate webchat embed code, use:\n  orchestrate channels webchat embed --agent-name <agent_name> --env <draft|live>',
      );
    const channels = Object.values(t.channels)
      .filter((c) => c.agent === opts.agent_name && c.env === opts.env && (!opts.channel_type || c.type === opts.channel_type))
      .map((c) => {
        const { spec_version, kind, ...spec } = c.spec;
        return { id: c.id, ...spec, channel: c.type };
      });
    if (!channels.length) {
      info('No channels found');
      break;
    }
    if (opts.verbose) {
      printJson(channels);
      break;
    }
    for (const c of channels) console.log(c.name + '  ' + c.channel + '  ' + c.id);
    break;
  }

  default:
    // A command of the real CLI that this stand-in does not model: it answers, and changes nothing.
    info(command + ' done');
}

// ---- helpers of the controllers' behaviour ----------------------------------------------------------------

function activate(name, o) {
  // environment_controller.py:141-150 an unknown name is an [ERROR] at exit 0
  const env = state.envs[name];
  if (!env) {
    error("Environment '" + name + "' does not exist. Please create it with `orchestrate env add`");
    return;
  }
  let { apikey, username, password } = o;
  // :97-116 _login: CPD asks for a username, then an API key or password; others for an API key
  if (isCpd(env)) {
    if (username === undefined) username = prompt('Please enter CPD Username: ', 'getpass');
    if (!apikey && !password) apikey = prompt('Enter CPD API key (or leave blank to use password): ', 'getpass');
    if (!apikey && !password) password = prompt('Enter CPD password (or leave blank if you used API key): ', 'getpass');
    if (apikey && password) fail('For CPD, please use either an Apikey or a Password but not both.');
  } else if (!apikey && !password) {
    apikey = prompt('Please enter WXO API key: ', 'getpass');
  }
  state.login[name] = {
    ...(apikey ? { apiKey: true } : { password: true }),
    ...(username ? { username } : {}),
    type: env.type || null,
    url: env.url,
  };
  state.active = name;
  save();
  info("Environment '" + name + "' is now active");
  if (isCpd(env)) warn('Support for CPD clusters is currently an early access preview');
}

/** typer.prompt of common.py:32-53 (safe mode): EOF cancels the operation. */
function promptConfirmation() {
  const answer = (() => {
    try {
      return prompt('Are you sure you want to proceed (Y/n): ', 'prompt');
    } catch {
      return null;
    }
  })();
  if (answer === null || !['y', 'yes', ''].includes(answer.trim().toLowerCase())) {
    info('Operation cancelled');
    process.exit(0);
  }
}

/**
 * connections_controller.py:441-482 add_configuration: create, or update — a changed auth scheme,
 * OAuth flow, preference (type) or sso removes that environment's credentials (:452-475).
 */
function addConfiguration(conn, appId, envName, config) {
  const existing = conn.environments[envName];
  if (existing) {
    info("Existing connection '" + appId + "' with environment '" + envName + "' found. Updating configuration");
    const was = existing.config;
    let reset = null;
    if (SCHEME[was.kind] !== SCHEME[config.kind])
      reset =
        "Detected a change in auth type from '" +
        SCHEME[was.kind] +
        "' to '" +
        SCHEME[config.kind] +
        "'. The associated credentials will be removed.";
    else if ((OAUTH_TYPE[was.kind] || null) !== (OAUTH_TYPE[config.kind] || null))
      reset =
        "Detected a change in oauth flow from '" +
        OAUTH_TYPE[was.kind] +
        "' to '" +
        OAUTH_TYPE[config.kind] +
        "'. The associated credentials will be removed.";
    else if ((was.type || 'team') !== (config.type || 'team'))
      reset =
        "Detected a change in preference/type from '" +
        (was.type || 'team') +
        "' to '" +
        (config.type || 'team') +
        "'. The associated credentials will be removed.";
    else if (Boolean(was.sso) !== Boolean(config.sso))
      reset =
        "Detected a change in sso from '" +
        Boolean(was.sso) +
        "' to '" +
        Boolean(config.sso) +
        "'. The associated credentials will be removed.";
    if (reset) {
      warn(reset);
      existing.credentials = null;
    }
    existing.config = config;
    info("Configuration successfully updated for '" + envName + "' environment of connection '" + appId + "'.");
  } else {
    info("Creating configuration for connection '" + appId + "' in the '" + envName + "' environment");
    conn.environments[envName] = { config, credentials: null };
    info("Configuration successfully created for '" + envName + "' environment of connection '" + appId + "'.");
  }
}

/** A tool's binding as the platform lists it (connections by id, as `-a` bound them). */
function toolBinding(kind, file, name, appIds, t) {
  const connections = {};
  for (const a of appIds) {
    const parts = a.split('=');
    const appId = parts.pop();
    const key = parts[0] || appId;
    if (t.connections[appId]) connections[key] = t.connections[appId].connection_id;
  }
  if (kind === 'python')
    return { python: { function: path.basename(file).replace(/\.py$/, '') + ':' + name, requirements: [], connections } };
  if (kind === 'openapi') return { openapi: { connection_id: Object.values(connections)[0] || null } };
  if (kind === 'flow') return { flow: { flow_id: null } };
  return { langflow: { connections } };
}

function mcpOf(spec, appIds, t) {
  return {
    source: spec.url ? 'remote' : spec.package ? 'public' : 'files',
    command: spec.command || null,
    args: spec.args || [],
    tools: Array.isArray(spec.tools) ? spec.tools : spec.tools ? [spec.tools] : [],
    connections: Object.fromEntries(appIds.filter((a) => t.connections[a]).map((a) => [a, t.connections[a].connection_id])),
    ...(spec.url ? { server_url: spec.url, transport: spec.transport || null } : {}),
  };
}

/** Model names of a policy (models_controller.py:155-165, nested targets included). */
function policyTargets(policy) {
  const out = [];
  for (const target of (policy && policy.targets) || []) {
    if (target && target.model_name) out.push(target.model_name);
    else if (target && target.targets) out.push(...policyTargets(target));
  }
  return out;
}

/** An agent as `agents list -v` prints it: the stored spec, references as ids (agents_controller.py:2141). */
function storedAgent(t, a) {
  const spec = { ...plain(a.draft), id: a.id };
  delete spec.spec_version;
  const ids = (names, table) => (names || []).map((n) => (table[n] ? table[n].id : n));
  if (spec.tools) spec.tools = spec.tools.map((n) => (t.tools[n] ? t.tools[n].id : n));
  if (spec.collaborators) spec.collaborators = ids(spec.collaborators, t.agents);
  if (spec.knowledge_base) spec.knowledge_base = ids(spec.knowledge_base, t.knowledge_bases);
  if (spec.toolkits) spec.toolkits = ids(spec.toolkits, t.toolkits);
  if (spec.voice_configuration) {
    spec.voice_configuration_id = t.voice_configs[spec.voice_configuration] ? t.voice_configs[spec.voice_configuration].id : null;
    delete spec.voice_configuration;
  }
  return spec;
}

/** What keeps an agent's release from working live: tools whose connections lack a live config with credentials. */
function liveGaps(t, spec) {
  const gaps = [];
  for (const name of spec.tools || []) {
    const tool = t.tools[name];
    if (!tool) continue;
    for (const a of tool.app_ids || []) {
      const appId = a.split('=').pop();
      const conn = t.connections[appId];
      const live = conn && conn.environments.live;
      if (!live) gaps.push("connection '" + appId + "' of tool '" + name + "' has no live configuration");
      else if (!live.credentials && (live.config.type || 'team') === 'team' && live.config.kind !== 'oauth_auth_direct_access_flow')
        gaps.push("connection '" + appId + "' of tool '" + name + "' has no live credentials");
    }
  }
  return gaps;
}

/** phone_controller.py:213-262 resolve_config_id: by --name or --id. */
function phoneByName(t) {
  if (!opts.config_name && !opts.config_id) fail('Either --id or --name must be provided');
  const config = opts.config_name ? t.phone_configs[opts.config_name] : Object.values(t.phone_configs).find((c) => c.id === opts.config_id);
  if (!config)
    fail(
      opts.config_name
        ? "Phone config with name '" + opts.config_name + "' not found"
        : "Phone config with ID '" + opts.config_id + "' not found",
    );
  return config;
}
