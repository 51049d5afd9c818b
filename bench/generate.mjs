#!/usr/bin/env node
// Synthetic watsonx Orchestrate GitOps repositories for the benchmark.
//
//   node bench/generate.mjs --files 10000 --out bench/.work/repo-10000 [--seed N] [--force]
//
// Creates a git repository (branch develop, one commit) laid out like policies/default.yaml's
// `files:` mapping, with planted fake secrets and decoys, deterministic for a seed, and writes
// `<out>.manifest.json` (outside the repository) listing every planted secret and decoy.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Rng } from './gen/random.mjs';
import { AGENT_ROLES, DOMAINS, NOUNS, TOOL_VERBS, hostName, pad } from './gen/text.mjs';
import { DECOY_KINDS, SECRET_KINDS } from './gen/secrets.mjs';
import * as gen from './gen/files.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');
export const GENERATOR_VERSION = 2;
const FIXED_DATE = '2025-01-15T12:00:00Z';

/**
 * Repository shapes. `default`: the first bench repository. `adk`: agent specs of 5–20 KB with long
 * instructions and many references, ~8% tiny per-environment overlays under environments/<env>/,
 * Python tools of 2–5 KB with test_*.py beside them, ~15% KB documents (.md/.txt, 2–20 KB, one in
 * 200 of 200 KB–1 MB). `adk-findings`: the same with most agents naming tools that do not exist.
 * Shares are fractions of the total; KB documents take what is left.
 */
const KIB = 1024;
const PROFILES = {
  default: {
    shares: {
      agent: 0.12,
      py: 0.11,
      cfg: 0.03,
      openapi: 0.05,
      flow: 0.08,
      connection: 0.04,
      kb_yaml: 0.02,
      config_yaml: 0.03,
      doc_md: 0.05,
    },
    minimum: { agent: 4, py: 3, cfg: 5, openapi: 2, flow: 4, connection: 5, kb_yaml: 2, config_yaml: 8, doc_md: 8 },
    kbDocTypes: [
      ['md', 0.45],
      ['txt', 0.25],
      ['html', 0.3],
    ],
    size: { default: [1 * KIB, 20 * KIB] },
    bigDocs: (total, kbDocs) => Math.max(1, Math.round(total / 500)),
    agentTools: [2, 8],
    collaborators: 0.3,
  },
  adk: {
    shares: {
      agent: 0.3,
      py: 0.12,
      py_test: 0.12,
      req: 0.04,
      overlay: 0.08,
      cfg: 0.01,
      openapi: 0.03,
      flow: 0.04,
      connection: 0.04,
      kb_yaml: 0.02,
      config_yaml: 0.03,
      doc_md: 0.02,
    },
    minimum: {
      agent: 4,
      py: 3,
      py_test: 3,
      req: 1,
      overlay: 4,
      cfg: 5,
      openapi: 2,
      flow: 4,
      connection: 5,
      kb_yaml: 2,
      config_yaml: 8,
      doc_md: 8,
    },
    kbDocTypes: [
      ['md', 0.6],
      ['txt', 0.4],
    ],
    size: {
      default: [1 * KIB, 20 * KIB],
      agent: [5 * KIB, 20 * KIB],
      py: [2 * KIB, 5 * KIB],
      py_test: [1 * KIB, 4 * KIB],
      overlay: [150, 900],
      kb: [2 * KIB, 20 * KIB],
    },
    bigDocs: (total, kbDocs) => Math.max(1, Math.round(kbDocs / 200)),
    agentTools: [6, 20],
    collaborators: 0.5,
  },
};
PROFILES['adk-findings'] = { ...PROFILES.adk, missingTools: { share: 0.8, per: [3, 5] } };
export const PROFILE_NAMES = Object.keys(PROFILES);
const ENVIRONMENTS = ['dev', 'qa', 'staging', 'prod'];
const CONNECTION_KINDS = ['api_key', 'basic', 'bearer', 'oauth_auth_client_credentials_flow', 'key_value', 'api_key', 'basic', 'bearer'];

function counts(total, profile) {
  const m = total - 4; // tenant.yaml, values.yaml, wxo-policy.yaml, VERSION
  const c = {};
  for (const [k, share] of Object.entries(profile.shares)) c[k] = Math.max(profile.minimum[k], Math.round(m * share));
  c.req ??= c.py;
  c.req = Math.min(c.req, c.py);
  if (c.py_test !== undefined) c.py_test = Math.min(c.py_test, c.py);
  const used = Object.values(c).reduce((a, b) => a + b, 0);
  c.kb_doc = m - used;
  if (c.kb_doc < c.kb_yaml) throw new Error(`--files ${total} is too small (at least ~60 files)`);
  return c;
}

/** Builds the plan: every file with its category, path, target size and the names it uses. */
function plan(total, rng, profile) {
  const c = counts(total, profile);
  const files = [];
  const add = (f) => (files.push(f), f);
  const size = (category = 'default') => Math.round(rng.logUniform(...(profile.size[category] ?? profile.size.default)));
  const uniqueName = (() => {
    const seen = new Set();
    return (make) => {
      for (;;) {
        const n = make();
        if (!seen.has(n)) return (seen.add(n), n);
      }
    };
  })();

  const connections = [];
  for (let i = 0; i < c.connection; i++) {
    const domain = rng.pick(DOMAINS);
    const conn = {
      appId: `${domain}_${rng.pick(['api', 'svc', 'backend', 'gateway'])}_${pad(i)}`,
      kind: CONNECTION_KINDS[i % CONNECTION_KINDS.length],
      domain,
      host: hostName(rng),
    };
    connections.push(conn);
    add({ category: 'connection', path: `connections/${conn.appId}.yaml`, target: size(), connection: conn, domain });
  }
  const modules = [];
  for (let i = 0; i < c.py; i++) {
    const domain = rng.pick(DOMAINS);
    const noun = rng.pick(NOUNS);
    const dir = `${domain}_${noun}_${pad(i)}`;
    const tools = rng.sample(TOOL_VERBS, rng.int(1, 3)).map((verb) => ({ verb, name: `${verb}_${noun}_${pad(i)}` }));
    const mod = { dir, domain, noun, tools, connection: rng.pick(connections), host: hostName(rng) };
    modules.push(mod);
    add({ category: 'py', path: `tools/${dir}/${dir}.py`, target: size('py'), module: mod, domain });
    if (i < (c.py_test ?? 0))
      add({ category: 'py_test', path: `tools/${dir}/test_${dir}.py`, target: size('py_test'), module: mod, domain });
    if (i < c.req) add({ category: 'req', path: `tools/${dir}/requirements.txt`, target: size(), domain });
  }
  const apis = [];
  for (let i = 0; i < c.openapi; i++) {
    const domain = rng.pick(DOMAINS);
    const noun = rng.pick(NOUNS);
    const operations = rng.sample(TOOL_VERBS, rng.int(2, 6)).map((verb, k) => ({
      id: `${verb}_${noun}_api${pad(i)}`,
      method: ['get', 'list', 'search', 'lookup'].includes(verb) ? 'get' : 'post',
      suffix: `${verb}${k}`,
    }));
    const api = {
      domain,
      noun,
      operations,
      host: hostName(rng),
      valueKey: rng.chance(0.5) ? `apis.${domain}_${noun}_api${pad(i)}.base_url` : undefined,
    };
    apis.push(api);
    add({ category: 'openapi', path: `tools/openapi/${domain}_${noun}_api_${pad(i)}.yaml`, target: size(), api, domain });
  }
  const flows = [];
  for (let i = 0; i < c.flow; i++) {
    const domain = rng.pick(DOMAINS);
    const noun = rng.pick(NOUNS);
    const flow = { name: `${domain}_${noun}_flow_${pad(i)}`, noun };
    flows.push(flow);
    add({ category: 'flow', path: `flows/${flow.name}.json`, target: size(), flow, domain });
  }
  const kbs = [];
  for (let i = 0; i < c.kb_yaml; i++) {
    const domain = rng.pick(DOMAINS);
    const name = `${domain}_kb_${pad(i)}`;
    kbs.push({ name, domain, docs: [] });
  }
  for (let i = 0; i < c.kb_doc; i++) {
    const kb = i < kbs.length ? kbs[i] : rng.pick(kbs);
    let r = rng.next();
    const ext = profile.kbDocTypes.find(([, p]) => (r -= p) < 0)?.[0] ?? 'md';
    const base = `${rng.pick(NOUNS)}-${rng.pick(['guide', 'faq', 'policy', 'procedure', 'handbook', 'notes', 'reference'])}-${pad(i, 5)}.${ext}`;
    kb.docs.push(`documents/${base}`);
    add({ category: `kb_${ext}`, path: `knowledge_bases/${kb.name}/documents/${base}`, target: size('kb'), domain: kb.domain });
  }
  for (const kb of kbs)
    add({ category: 'kb_yaml', path: `knowledge_bases/${kb.name}/${kb.name}.yaml`, target: size(), kb, domain: kb.domain });

  const pythonToolNames = modules.flatMap((m) => m.tools.map((t) => t.name));
  const openapiToolNames = apis.flatMap((a) => a.operations.map((o) => o.id));
  const flowToolNames = [...pythonToolNames, ...openapiToolNames];
  const toolPool = [...flowToolNames, ...flows.map((f) => f.name)];
  const agents = [];
  for (let i = 0; i < c.agent; i++) {
    const domain = rng.pick(DOMAINS);
    const name = uniqueName(() => `${domain}_${rng.pick(AGENT_ROLES)}_agent_${pad(i)}`);
    const collaborators =
      i > 0 && rng.chance(profile.collaborators)
        ? rng.sample(
            agents.slice(Math.max(0, i - 40)).map((a) => a.name),
            rng.int(1, 3),
          )
        : [];
    const tools = rng.sample(toolPool, rng.int(...profile.agentTools));
    // adk-findings: tools that no file declares (one `references` finding each).
    if (profile.missingTools && rng.chance(profile.missingTools.share)) {
      for (let k = rng.int(...profile.missingTools.per); k > 0; k--)
        tools.push(`${rng.pick(TOOL_VERBS)}_${rng.pick(NOUNS)}_retired_${pad(i)}_${k}`);
    }
    const agent = { name, domain, tools, collaborators, kb: rng.chance(0.5) ? rng.pick(kbs).name : undefined };
    agents.push(agent);
    add({ category: 'agent', path: `agents/${name}.yaml`, target: size('agent'), agent, domain });
  }
  for (let i = 0; i < (c.overlay ?? 0); i++) {
    const agent = rng.pick(agents);
    const env = ENVIRONMENTS[i % ENVIRONMENTS.length];
    add({
      category: 'overlay',
      path: `environments/${env}/${agent.name}-${pad(i)}.yaml`,
      target: size('overlay'),
      env,
      target_name: agent.name,
      domain: agent.domain,
    });
  }
  for (let i = 0; i < c.config_yaml; i++) {
    const domain = rng.pick(DOMAINS);
    add({ category: 'config_yaml', path: `config/${domain}-settings-${pad(i)}.yaml`, target: size(), domain });
  }
  for (let i = 0; i < c.cfg; i++) {
    const domain = rng.pick(DOMAINS);
    add({ category: 'cfg', path: `config/${domain}-runtime-${pad(i)}.cfg`, target: size(), domain });
  }
  for (let i = 0; i < c.doc_md; i++) {
    const domain = rng.pick(DOMAINS);
    add({
      category: 'doc_md',
      path: `docs/${domain}-${rng.pick(['runbook', 'onboarding', 'troubleshooting', 'release-notes', 'architecture'])}-${pad(i)}.md`,
      target: size(),
      domain,
    });
  }

  // A few big knowledge-base documents (200 KB – 1 MB), about one per 500 files.
  const kbDocs = files.filter((f) => f.category.startsWith('kb_') && f.category !== 'kb_yaml');
  for (const f of rng.sample(kbDocs, profile.bigDocs(total, kbDocs.length))) f.target = Math.round(rng.logUniform(200 * 1024, 1024 * 1024));

  const world = { agentNames: agents.map((a) => a.name), flowToolNames, connections, apis, modules };
  const declared = new Set(toolPool);
  const missingTools = agents.reduce((n, a) => n + a.tools.filter((t) => !declared.has(t)).length, 0);
  return { files, world, counts: c, missingTools };
}

/** Plants secrets and decoys: round-robin over kinds, and over each kind's contexts. */
function plant(files, total, rng) {
  const pools = new Map();
  for (const f of rng.shuffle([...files])) {
    if (!pools.has(f.category)) pools.set(f.category, []);
    pools.get(f.category).push(f);
  }
  const take = (category, pred) => {
    const pool = pools.get(category) ?? [];
    const i = pool.findIndex((f) => !f.item && pred(f));
    return i < 0 ? undefined : pool.splice(i, 1)[0];
  };
  const secrets = [];
  const decoys = [];
  const place = (kinds, n, out, isSecret) => {
    const names = Object.keys(kinds);
    const rotation = new Map(names.map((k) => [k, rng.int(0, Object.keys(kinds[k].contexts).length - 1)]));
    const variantTurn = new Map();
    for (let i = 0; i < n; i++) {
      const kindName = names[i % names.length];
      const kind = kinds[kindName];
      const ctxs = Object.keys(kind.contexts);
      const start = rotation.get(kindName);
      rotation.set(kindName, start + 1);
      for (let k = 0; k < ctxs.length; k++) {
        const ctx = ctxs[(start + k) % ctxs.length];
        let variant;
        if (kind.variants?.[ctx]) {
          const turn = variantTurn.get(ctx) ?? 0;
          variantTurn.set(ctx, turn + 1);
          variant = kind.variants[ctx][turn % kind.variants[ctx].length];
        }
        const value = isSecret ? kind.value(rng, variant) : undefined;
        const snippet = kind.contexts[ctx](isSecret ? value : rng, rng);
        const host = take(ctx, (f) => !snippet.connKind || f.connection?.kind === snippet.connKind);
        if (!host) continue;
        host.item = true;
        host.plant = snippet;
        const entry = { kind: kindName, context: ctx, file: host.path, needle: snippet.needle };
        if (value?.variant) entry.variant = value.variant;
        out.push(entry);
        break;
      }
    }
  };
  place(SECRET_KINDS, Math.max(Object.keys(SECRET_KINDS).length, Math.round(total / 50)), secrets, true);
  place(DECOY_KINDS, Math.max(Object.keys(DECOY_KINDS).length, Math.round(total / 50)), decoys, false);
  return { secrets, decoys };
}

function lineOf(text, needle, file) {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`generator bug: needle not found in ${file}`);
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) line++;
  return line;
}

function defaultPolicy() {
  const text = readFileSync(join(PROJECT, 'policies/default.yaml'), 'utf8');
  const tenant = parseYaml(text).tenants.find((t) => t.name === 'dev-qa-tenant');
  return { text, devQaUrl: tenant.orchestrate.url };
}

export function generateRepo({ files: total, out, seed = 1, profile: profileName = 'default', force = false, log = () => {} }) {
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`unknown profile "${profileName}" (profiles: ${PROFILE_NAMES.join(', ')})`);
  const outDir = resolve(out);
  const manifestPath = `${outDir}.manifest.json`;
  if (existsSync(outDir) && readdirSync(outDir).length) {
    if (!force) throw new Error(`${outDir} exists and is not empty (use --force to replace it)`);
    if (!existsSync(join(outDir, '.git')) && !existsSync(manifestPath))
      throw new Error(`refusing to delete ${outDir}: it does not look like a generated repository`);
    rmSync(outDir, { recursive: true, force: true });
  }
  rmSync(manifestPath, { force: true });
  const started = Date.now();
  const rng = new Rng(profileName === 'default' ? `${seed}:${total}` : `${seed}:${total}:${profileName}`);
  const { files, world, counts: c, missingTools } = plan(total, rng, profile);
  const { secrets, decoys } = plant(files, total, rng);
  const policy = defaultPolicy();

  const texts = new Map();
  const decoyEntries = [];
  for (const f of files) {
    const frng = new Rng(`${seed}:${f.path}`);
    let text;
    switch (f.category) {
      case 'agent':
        text = gen.agentYaml(frng, f, world);
        break;
      case 'py':
        text = gen.pythonTool(frng, f, world);
        break;
      case 'py_test':
        text = gen.pythonTest(frng, f);
        break;
      case 'overlay':
        text = gen.overlayYaml(frng, f);
        break;
      case 'req':
        text = gen.requirementsTxt(frng, f);
        break;
      case 'cfg':
        text = gen.envCfg(frng, f);
        break;
      case 'config_yaml':
        text = gen.configYaml(frng, f);
        break;
      case 'openapi':
        text = gen.openapiYaml(frng, f);
        break;
      case 'flow':
        text = gen.flowJson(frng, f, world);
        break;
      case 'kb_yaml':
        text = gen.kbYaml(frng, f);
        break;
      case 'kb_md':
      case 'doc_md':
        text = gen.markdownDoc(frng, f);
        break;
      case 'kb_txt':
        text = gen.textDoc(frng, f);
        break;
      case 'kb_html':
        text = gen.htmlDoc(frng, f);
        break;
      case 'connection': {
        const r = gen.connectionYaml(frng, f);
        text = r.text;
        for (const needle of r.placeholders)
          decoyEntries.push({ kind: 'env_placeholder', context: 'connection', file: f.path, line: lineOf(text, needle, f.path) });
        break;
      }
      default:
        throw new Error(`unknown category ${f.category}`);
    }
    texts.set(f.path, text);
  }

  // Repository-level files.
  const values = { llm: { default: 'groq/openai/gpt-oss-120b' }, connections: {}, apis: {} };
  for (const conn of world.connections)
    values.connections[conn.appId] = { draft_url: `https://sandbox.${conn.host}/v1`, live_url: `https://${conn.host}/v1` };
  for (const api of world.apis)
    if (api.valueKey) values.apis[api.valueKey.split('.')[1]] = { base_url: `https://${api.host}/${api.domain}/v1` };
  const valuesYaml = ['tenant: dev-qa-tenant', 'values:', '  llm:', `    default: ${values.llm.default}`, '  connections:'];
  for (const [id, v] of Object.entries(values.connections))
    valuesYaml.push(`    ${id}:`, `      draft_url: ${v.draft_url}`, `      live_url: ${v.live_url}`);
  valuesYaml.push(Object.keys(values.apis).length ? '  apis:' : '  apis: {}');
  for (const [id, v] of Object.entries(values.apis)) valuesYaml.push(`    ${id}:`, `      base_url: ${v.base_url}`);
  const tenantYaml = [
    '# The tenant this branch deploys to (tenant-scoped: kept on cross-tenant merges).',
    'tenant: dev-qa-tenant',
    'orchestrate:',
    '  env_name: wxo-dev-qa',
    `  url: ${policy.devQaUrl}`,
    '  auth_type: ibm_iam',
    '  api_key: ${WXO_DEV_QA_API_KEY}',
    '',
  ].join('\n');
  texts.set('tenant.yaml', tenantYaml);
  texts.set('values.yaml', valuesYaml.join('\n') + '\n');
  texts.set('wxo-policy.yaml', policy.text);
  texts.set('VERSION', '1.4.0\n');
  decoyEntries.push({
    kind: 'env_placeholder',
    context: 'tenant',
    file: 'tenant.yaml',
    line: lineOf(tenantYaml, 'api_key: ${WXO_DEV_QA_API_KEY}', 'tenant.yaml'),
  });

  // Manifest lines.
  const secretEntries = secrets.map((s, i) => ({
    id: `s${pad(i + 1, 4)}`,
    kind: s.kind,
    ...(s.variant ? { variant: s.variant } : {}),
    context: s.context,
    file: s.file,
    line: lineOf(texts.get(s.file), s.needle, s.file),
  }));
  decoyEntries.unshift(
    ...decoys.map((d) => ({ kind: d.kind, context: d.context, file: d.file, line: lineOf(texts.get(d.file), d.needle, d.file) })),
  );
  decoyEntries.forEach((d, i) => (d.id = `d${pad(i + 1, 4)}`));

  // Write, then commit.
  mkdirSync(outDir, { recursive: true });
  const dirs = new Set();
  let bytes = 0;
  for (const [path, text] of texts) {
    const full = join(outDir, path);
    const d = dirname(full);
    if (!dirs.has(d)) (mkdirSync(d, { recursive: true }), dirs.add(d));
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
  }
  const gitEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 'wxo-bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'wxo-bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
  };
  const git = (...args) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
      cwd: outDir,
      env: gitEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    })
      .toString()
      .trim();
  git('init', '-q', '-b', 'develop');
  git('add', '-A');
  git('commit', '-q', '-m', `Synthetic wxO GitOps repository (${total} files, seed ${seed})`);
  const commit = git('rev-parse', 'HEAD');
  const tracked = git('ls-files').split('\n').filter(Boolean).length;
  if (tracked !== total) throw new Error(`generator bug: ${tracked} tracked files, expected ${total}`);

  const manifest = {
    generator: 'bench/generate.mjs',
    generatorVersion: GENERATOR_VERSION,
    seed,
    profile: profileName,
    files: total,
    missingTools,
    repo: relative(process.cwd(), outDir) || '.',
    commit,
    totalBytes: bytes,
    categories: Object.fromEntries(Object.entries(files.reduce((m, f) => ((m[f.category] = (m[f.category] ?? 0) + 1), m), {})).sort()),
    secrets: secretEntries,
    decoys: decoyEntries,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
  log(
    `generated ${outDir}: ${total} files, ${(bytes / 1048576).toFixed(1)} MiB, ${secretEntries.length} secrets, ${decoyEntries.length} decoys (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { manifestPath, manifest };
}

// ---- CLI -----------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { seed: 1, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--files') opts.files = Number(val());
    else if (a === '--out') opts.out = val();
    else if (a === '--seed') opts.seed = Number(val());
    else if (a === '--profile') opts.profile = val();
    else if (a === '--force') opts.force = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help || !opts.files || !opts.out) {
      console.log(`usage: node bench/generate.mjs --files N --out DIR [--seed N] [--profile ${PROFILE_NAMES.join('|')}] [--force]`);
      process.exit(opts.help ? 0 : 2);
    }
    if (!Number.isInteger(opts.files) || opts.files < 60) throw new Error('--files must be an integer ≥ 60');
    const { manifest, manifestPath } = generateRepo({ ...opts, log: (m) => console.log(m) });
    const byKind = (list) =>
      Object.entries(list.reduce((m, e) => ((m[e.kind] = (m[e.kind] ?? 0) + 1), m), {}))
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
    console.log(`secrets: ${byKind(manifest.secrets)}`);
    console.log(`decoys:  ${byKind(manifest.decoys)}`);
    console.log(`manifest: ${relative(process.cwd(), manifestPath)}`);
  } catch (e) {
    console.error(`generate: ${e.message}`);
    process.exit(1);
  }
}
