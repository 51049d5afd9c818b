#!/usr/bin/env node
// Records the ADK's own verdict on every spec file of its examples and on our variants, into
// test/fixtures/adk/spec-verdicts.json (test/adk.spec.test.ts holds the product to it).
//
//   ADK_SRC=/path/to/ibm-watsonx-orchestrate-adk node scripts/adk/record-spec-verdicts.mjs
//
// ADK_SRC defaults to ../shared/adk/source beside the repository. Needs python3 with pydantic 2
// and PyYAML (spec_oracle.py runs the ADK's parse functions with its other dependencies stubbed).
// Steps: vendor the example files into test/fixtures/adk/examples/ (the old copy is replaced),
// decide which `orchestrate … import` each file is for (IMPORTED_AS below, from the examples'
// own import scripts), run the oracle, write the verdicts.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const adkSrc = process.env.ADK_SRC || join(root, '..', 'shared', 'adk', 'source');
const fixtures = join(root, 'test', 'fixtures', 'adk');
const examplesOut = join(fixtures, 'examples');
const variantsDir = join(fixtures, 'variants');

if (!existsSync(join(adkSrc, 'examples')) || !existsSync(join(adkSrc, 'src', 'ibm_watsonx_orchestrate'))) {
  console.error(`ADK_SRC=${adkSrc} is not an ADK source tree (examples/ and src/ibm_watsonx_orchestrate/ expected)`);
  process.exit(2);
}

/** Files vendored: spec files, and the Python tools and requirements the example agents use. */
const VENDORED = /\.(ya?ml|json|py)$|(^|\/)requirements\.txt$/i;
/** Not vendored: lock files (not specs, and full of hashes), the experimental flow converter. */
const NOT_VENDORED = [/(^|\/)package-lock\.json$/, /^experimental\/.*\.py$/, /^voice\//];
/** Spec files: what the oracle judges (Python is code, judged by the references tests). */
const SPEC = /\.(ya?ml|json)$/i;

/**
 * Which `orchestrate … import` each example file is for, from the examples' import scripts
 * (import-all.sh …); first match wins; null: not a wxO resource (evaluation data and configs,
 * external-agent validation inputs, code-bundle configs, sample data, package files).
 */
const IMPORTED_AS = [
  [/^evaluations\/.*\/agent_tools\/[^/]+\.json$/, 'agent'], // `agents import -f agent_tools/hr_agent.json`
  [/^evaluations\/generate\/hr_agent\.json$/, 'agent'],
  [/^evaluations\//, null],
  [/^(custom_agents|hotel_list_agent)\/[^/]+\/?config\.yaml$|^hotel_list_agent\/config\.yaml$/, null], // `agents create --experimental-package-root` config
  [/^(custom_agents\/[^/]+|hotel_list_agent)\/agent\.yaml$/, 'agent'], // a code-bundle agent: `agents import` refuses it
  [/\/(agents|Agents)\/[^/]+\.ya?ml$/, 'agent'],
  [/^agent_builder\/agentic_memory\/[^/]+\.yaml$/, 'agent'],
  [/^plugins\/agents\/[^/]+\.yaml$/, 'agent'],
  [/\/knowledge_base\/[^/]+\.ya?ml$/, 'knowledge_base'],
  [/\/voice\/[^/]+\.ya?ml$/, 'voice_config'],
  [/\/channels\/[^/]+\.ya?ml$/, 'channel'],
  [/\/phone\/[^/]+\.ya?ml$/, 'phone'],
  [/\/toolkits\/[^/]+\.ya?ml$/, 'toolkit'],
  [/^langflow\/.*\/tools\/[^/]+\.json$/, 'langflow'],
  [/^flow_builder\/.*\/(tools|Tools|generated)\/[^/]+\.json$/, 'flow'],
  [/\/tools\/[^/]+\.ya?ml$/, 'openapi'],
];

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const st = statSync(path);
      return st.isDirectory() ? walk(path) : st.isFile() ? [path] : [];
    });
}
const rel = (from, path) => relative(from, path).split('\\').join('/');

// ---- 1. vendor the examples ------------------------------------------------------------------
const adkExamples = join(adkSrc, 'examples');
rmSync(examplesOut, { recursive: true, force: true });
const vendored = [];
for (const path of walk(adkExamples)) {
  const r = rel(adkExamples, path);
  if (!VENDORED.test(r) || NOT_VENDORED.some((x) => x.test(r))) continue;
  mkdirSync(dirname(join(examplesOut, r)), { recursive: true });
  copyFileSync(path, join(examplesOut, r));
  vendored.push(r);
}

const version =
  /__version__\s*=\s*["']([^"']+)/.exec(readFileSync(join(adkSrc, 'src', 'ibm_watsonx_orchestrate', '__init__.py'), 'utf8'))?.[1] ??
  'unknown';
let commit = process.env.ADK_COMMIT ?? '';
if (!commit) {
  try {
    commit = execFileSync('git', ['-C', adkSrc, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = /commit\s+`([0-9a-f]{40})`/.exec(safeRead(join(adkSrc, '..', 'README.md')))?.[1] ?? 'unknown';
  }
}
function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// Every path of the examples (documents a knowledge base lists are not vendored, only named here).
writeFileSync(
  join(fixtures, 'examples-tree.txt'),
  walk(adkExamples)
    .map((p) => rel(adkExamples, p))
    .join('\n') + '\n',
);

writeFileSync(
  join(fixtures, 'SOURCES.md'),
  `# Sources of test/fixtures/adk

\`examples/\` holds unmodified copies of the spec files (YAML, JSON), Python tools and requirements of
the \`examples/\` folder of the IBM watsonx Orchestrate Agent Development Kit, as of:

| item | value |
|---|---|
| repository | https://github.com/IBM/ibm-watsonx-orchestrate-adk |
| commit | \`${commit}\` |
| ADK version | ${version} |
| license | MIT (the repository's LICENSE, full text below) |

Left out: lock files, the experimental Python code, the voice sample app, and all binary documents
(\`examples-tree.txt\` lists every path of the examples, so references to documents still resolve).

\`variants/<kind>/\` are wxo-policy's own files (MIT, this repository), positive and negative cases for
the spec oracle. \`spec-verdicts.json\` is the ADK's verdict on every file here; all three are written by
\`scripts/adk/record-spec-verdicts.mjs\` (see the README, "ADK compatibility"). The secrets in these
files are the upstream examples' placeholders and dummies (e.g. \`your-deepgram-api-key\`,
\`\${SLACK_CLIENT_ID}\`), none of them real.

## License text (from the ADK repository's LICENSE)

\`\`\`
${readFileSync(join(adkSrc, 'LICENSE'), 'utf8').trim()}
\`\`\`
`,
);

// ---- 2. what each file is, and our variants ---------------------------------------------------
const entries = [];
for (const r of vendored.filter((p) => SPEC.test(p))) {
  const rule = IMPORTED_AS.find(([re]) => re.test(r));
  entries.push({ file: `examples/${r}`, kind: rule ? rule[1] : null });
}
// The ADK's own unit-test samples (vendored earlier in test/fixtures/adk-examples; not part of a
// source release's examples/): the only connection, external and assistant agents it ships.
const ADK_TEST_SAMPLES = {
  'sample-agent.yml': 'agent',
  'sample-assistant-agent.yml': 'agent',
  'sample-connection.yml': 'connection',
  'sample-external-agent.yml': 'agent',
  'sample_agent_guidelines.yml': 'agent',
};
for (const [name, kind] of Object.entries(ADK_TEST_SAMPLES)) {
  const file = `../adk-examples/tests/cli/resources/yaml_samples/${name}`;
  if (existsSync(join(fixtures, file))) entries.push({ file, kind });
}
// Variants: test/fixtures/adk/variants/<kind>/<name>.<ext>, written by hand (positive and negative).
if (existsSync(variantsDir)) {
  for (const path of walk(variantsDir)) {
    const r = rel(variantsDir, path);
    if (!SPEC.test(r)) continue;
    entries.push({ file: `variants/${r}`, kind: r.split('/')[0] });
  }
}

// ---- 3. the ADK's verdicts --------------------------------------------------------------------
const judged = entries.filter((e) => e.kind);
const input = judged.map((e) => `${e.kind}\t${join(fixtures, e.file)}\n`).join('');
const run = spawnSync('python3', [join(root, 'scripts', 'adk', 'spec_oracle.py')], {
  input,
  encoding: 'utf8',
  env: { ...process.env, ADK_SRC: adkSrc },
  maxBuffer: 64 << 20,
});
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(2);
}
const verdicts = new Map(
  run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((v) => [rel(fixtures, v.path), v]),
);
const files = {};
for (const e of entries) {
  if (!e.kind) {
    files[e.file] = { kind: null, verdict: 'not a wxO resource' };
    continue;
  }
  const v = verdicts.get(e.file);
  if (!v) throw new Error(`no verdict for ${e.file}`);
  // Absolute paths of this machine do not belong in the fixture.
  const reason = v.reason?.split(fixtures + '/').join('');
  files[e.file] = {
    kind: e.kind,
    verdict: v.verdict,
    ...(reason ? { reason } : {}),
    ...(v.names ? { names: v.names } : {}),
    ...(placeholdersOnly(reason) ? { placeholdersOnly: true } : {}),
  };
}
/**
 * A rejection caused only by `${NAME}` placeholders the CLI does not expand (pydantic's
 * `input_value='${…}'` on every error): the deploy runner fills them before the import, so the
 * file as deployed is what the ADK judges.
 */
function placeholdersOnly(reason) {
  const count = Number(/(\d+) validation errors? for/.exec(reason ?? '')?.[1] ?? 0);
  const inputs = [...(reason ?? '').matchAll(/input_value='([^']*)'/g)].map((m) => m[1]);
  return count > 0 && inputs.length === count && inputs.every((v) => /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v));
}

const out = {
  adk: { version, commit, source: 'https://github.com/IBM/ibm-watsonx-orchestrate-adk' },
  recordedBy: 'scripts/adk/record-spec-verdicts.mjs',
  files,
};
writeFileSync(join(fixtures, 'spec-verdicts.json'), JSON.stringify(out, null, 2) + '\n');
const count = (verdict) => Object.values(files).filter((f) => f.verdict === verdict).length;
console.log(
  `ADK ${version} (${commit.slice(0, 12)}): ${vendored.length} example files vendored; ${count('accepted')} accepted, ${count('rejected')} rejected, ${count('not a wxO resource')} not wxO resources`,
);
