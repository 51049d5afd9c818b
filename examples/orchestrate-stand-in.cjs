#!/usr/bin/env node
// The stand-in for IBM's `orchestrate` CLI (a Python package this project does not install), used
// by the tests and the demo: a real child process that records its calls and answers like the ADK.
// See test/helpers/fakeOrchestrate.ts for what it records and how to make it misbehave.
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
// What each tenant (orchestrate environment) holds: imports add names, removals take them away.
state.objects = state.objects || {};
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
const held = (kind) => { const t = (state.objects[state.active || '?'] = state.objects[state.active || '?'] || {}); return (t[kind] = t[kind] || {}); };
const hold = (kind, names) => { for (const n of names) held(kind)[n] = true; save(); };
const fileText = () => { try { return fs.readFileSync(opt('-f', '--file'), 'utf8'); } catch { return ''; } };
/** The tools a `tools import` defines: @tool functions, OpenAPI operationIds, the flow's name. */
const toolNames = () => {
  const text = fileText();
  const kind = opt('-k', '--kind');
  const names = kind === 'python' ? [...text.matchAll(/@tool\b[\s\S]*?\bdef\s+(\w+)/g)].map((m) => m[1])
    : kind === 'openapi' ? [...text.matchAll(/operationId:\s*["']?([\w.-]+)/g)].map((m) => m[1])
    : [(/"name"\s*:\s*"([^"]+)"/.exec(text) || [])[1]].filter(Boolean);
  return names.length ? names : [fileName()];
};
/**
 * Removal of a name the tenant does not hold, as the ADK answers it (reference §4): agents, tools
 * and toolkits only warn (exit 0); a knowledge base exits 1 after a warning; a connection exits 1
 * with the server's 404 body as the error.
 */
const removeKinds = { agents: 'agent', tools: 'tool', toolkits: 'toolkit', 'knowledge-bases': 'knowledge_base', connections: 'connection' };
if (action === 'remove' && removeKinds[group]) {
  const kind = removeKinds[group];
  const name = opt('-n', '--name', '-a', '--app-id');
  if (!held(kind)[name]) {
    if (kind === 'knowledge_base') { warn("No knowledge base '" + name + "' found"); process.exit(1); }
    if (kind === 'connection') { error('{"detail":"Not Found"}'); process.exit(1); }
    warn('No ' + (kind === 'agent' ? 'agent' : kind) + " named '" + name + "' found");
    process.exit(0);
  }
  delete held(kind)[name];
  save();
}
switch (group + ' ' + action) {
  case 'env list': {
    if (!state.active) warn('No active environment is currently set. Use `orchestrate env activate` to set one');
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
    if (!state.envs[name]) { error("Environment '" + name + "' does not exist. Please create it with `orchestrate env add`"); break; }
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
    hold('connection', [appId]);
    break;
  }
  case 'connections set-credentials':
    info("Credentials successfully set for '" + opt('--env') + "' environment of connection '" + opt('-a', '--app-id') + "'");
    break;
  case 'tools import': hold('tool', toolNames()); for (const n of toolNames()) info("Tool '" + n + "' imported successfully"); break;
  case 'toolkits import': hold('toolkit', [nameInFile()]); info("Toolkit '" + nameInFile() + "' imported successfully"); break;
  case 'knowledge-bases import': hold('knowledge_base', [nameInFile()]); console.log("\u2713 Successfully imported knowledge base '" + nameInFile() + "'"); break;
  case 'agents import': hold('agent', [nameInFile()]); info("Agent '" + nameInFile() + "' imported successfully"); break;
  case 'agents deploy': info('Successfully deployed agent ' + opt('-n', '--name')); break;
  default:
    if (action === 'remove' || action === 'delete' || sub === 'remove') info('Successfully removed ' + (opt('-n', '--name', '-a', '--app-id') || '?'));
    else info(argv.slice(0, 2).join(' ') + ' done');
}
