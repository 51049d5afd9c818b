// Content generators, one per file category. Each takes (rng, file, world) and returns the text.
// `file.target` is the wanted size in bytes; generators add units (paragraphs, functions, nodes,
// schemas …) until they reach it. `file.plant` (optional) is a snippet from secrets.mjs to embed.

import { DOMAINS, LLMS, NOUNS, block, hostName, instruction, paragraph, sentence, title, titleCase, wrap, yq } from './text.mjs';
import { HEX } from './random.mjs';

const byteLength = (lines) => lines.reduce((n, l) => n + l.length + 1, 0);
const plural = (noun) => (noun.endsWith('s') ? noun : noun.endsWith('y') ? noun.slice(0, -1) + 'ies' : noun + 's');
const camel = (snake) =>
  snake
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** Inserts the plant's lines between two units (never first), then flattens. */
function assemble(units, plantLines, rng, { keepLast = 0 } = {}) {
  if (plantLines) {
    const max = Math.max(1, units.length - keepLast);
    units.splice(rng.int(1, max), 0, plantLines);
  }
  return units.flat().join('\n') + '\n';
}

// ---- agents --------------------------------------------------------------------------------------

export function agentYaml(rng, f, world) {
  const a = f.agent;
  const head = [
    'spec_version: v1',
    'kind: native',
    `name: ${a.name}`,
    `display_name: ${yq(titleCase(a.name.replace(/_agent_\d+$/, '')) + ' Agent')}`,
    'description: >-',
    ...block(wrap(`${paragraph(rng, 2, 3)} Routes here for ${a.domain} questions about ${plural(rng.pick(NOUNS))}.`, 90), 2),
    'context_access_enabled: true',
    'context_variables:',
    '  - wxo_email_id',
    '  - wxo_user_name',
    `llm: ${rng.pick(LLMS)}`,
    'llm_config:',
    `  temperature: ${rng.pick(['0', '0.1', '0.2'])}`,
    `  max_tokens: ${rng.pick([2048, 4096, 8192])}`,
    `style: ${rng.pick(['default', 'react', 'planner'])}`,
    'hide_reasoning: false',
    'instructions: |',
  ];
  const tail = [];
  tail.push('tools:', ...a.tools.map((t) => `  - ${t}`));
  if (a.collaborators.length) tail.push('collaborators:', ...a.collaborators.map((c) => `  - ${c}`));
  if (a.kb) tail.push('knowledge_base:', `  - ${a.kb}`);
  tail.push('guidelines:');
  for (let i = 0; i < rng.int(1, 3); i++) {
    tail.push(
      `  - display_name: ${yq(`Rule ${i + 1}`)}`,
      `    condition: ${JSON.stringify(sentence(rng))}`,
      `    action: ${JSON.stringify(instruction(rng))}`,
    );
    if (a.tools.length) tail.push(`    tool: ${rng.pick(a.tools)}`);
  }
  tail.push('starter_prompts:', '  is_default_prompts: false', '  prompts:');
  for (let i = 0; i < rng.int(2, 4); i++) {
    tail.push(
      `    - id: prompt_${i + 1}`,
      `      title: ${yq(title(rng))}`,
      `      subtitle: ${JSON.stringify(sentence(rng))}`,
      `      prompt: ${JSON.stringify(instruction(rng))}`,
      '      state: active',
    );
  }
  tail.push(
    'welcome_content:',
    `  welcome_message: ${JSON.stringify(`Hi, I am the ${a.domain} assistant. How can I help?`)}`,
    `  description: ${JSON.stringify(sentence(rng))}`,
  );

  const units = [[`You are the ${titleCase(a.domain)} agent of Acme. ${sentence(rng)}`, '']];
  let size = byteLength(head) + byteLength(tail) + 200;
  let section = 0;
  while (size < f.target) {
    const lines = [`## ${title(rng)}`];
    if (rng.chance(0.5)) {
      for (let i = 0; i < rng.int(3, 7); i++)
        lines.push(...wrap(`${i + 1}. ${instruction(rng)} ${sentence(rng)}`, 96).map((l, k) => (k ? '   ' + l : l)));
    } else lines.push(...wrap(paragraph(rng, 3, 6), 96));
    lines.push('');
    units.push(lines);
    size += byteLength(lines) + 2 * lines.length;
    section++;
  }
  const body = assemble(units, f.plant ? [...f.plant.lines, ''] : undefined, rng)
    .trimEnd()
    .split('\n');
  return [...head, ...block(body, 2), ...tail].join('\n') + '\n';
}

// ---- python tools --------------------------------------------------------------------------------

const CONNECTION_FN = {
  api_key: ['api_key_auth', 'API_KEY_AUTH'],
  basic: ['basic_auth', 'BASIC_AUTH'],
  bearer: ['bearer_token', 'BEARER_TOKEN'],
  oauth_auth_client_credentials_flow: ['oauth2_client_creds', 'OAUTH2_CLIENT_CREDS'],
  key_value: ['key_value', 'KEY_VALUE'],
};
const FIELDS = ['status', 'owner', 'region', 'priority', 'category', 'currency', 'amount', 'due_date', 'reference', 'channel'];

function pyHelper(rng, k, noun) {
  const fieldName = rng.pick(FIELDS);
  const name = `_${rng.pick(['normalise', 'filter', 'enrich', 'group', 'rank', 'clean', 'merge'])}_${plural(noun)}_${k}`;
  const doc = sentence(rng);
  const variant = rng.int(0, 2);
  if (variant === 0) {
    return [
      '',
      '',
      `def ${name}(records: list[dict[str, Any]], limit: int = PAGE_SIZE) -> list[dict[str, Any]]:`,
      `    """${doc}"""`,
      '    result: list[dict[str, Any]] = []',
      '    for record in records[:limit]:',
      `        if not record.get("${fieldName}"):`,
      `            logger.debug("skipping %s without ${fieldName}", record.get("id"))`,
      '            continue',
      '        item = dict(record)',
      `        item["${fieldName}"] = str(item["${fieldName}"]).strip()`,
      '        item["checked_at"] = datetime.now(timezone.utc).isoformat()',
      '        result.append(item)',
      '    return result',
    ];
  }
  if (variant === 1) {
    return [
      '',
      '',
      `def ${name}(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:`,
      `    """${doc}`,
      '',
      `    Records without a ${fieldName} are grouped under "unknown".`,
      '    """',
      '    groups: dict[str, list[dict[str, Any]]] = {}',
      '    for record in records:',
      `        key = str(record.get("${fieldName}") or "unknown").lower()`,
      '        groups.setdefault(key, []).append(record)',
      '    for key, items in groups.items():',
      `        items.sort(key=lambda r: str(r.get("updated_at") or ""), reverse=True)`,
      '        logger.debug("group %s has %d records", key, len(items))',
      '    return groups',
    ];
  }
  return [
    '',
    '',
    `def ${name}(session: requests.Session, url: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:`,
    `    """${doc}"""`,
    '    items: list[dict[str, Any]] = []',
    '    page = 1',
    '    while True:',
    '        query = dict(params or {})',
    '        query.update({"page": page, "page_size": PAGE_SIZE})',
    '        response = session.get(url, params=query, timeout=DEFAULT_TIMEOUT_SECONDS)',
    '        response.raise_for_status()',
    '        batch = response.json().get("items", [])',
    '        items.extend(batch)',
    '        if len(batch) < PAGE_SIZE:',
    '            return items',
    '        page += 1',
  ];
}

export function pythonTool(rng, f, world) {
  const m = f.module;
  const [connFn, connType] = CONNECTION_FN[m.connection.kind];
  const Noun = camel(m.noun);
  const head = [
    `"""${titleCase(m.domain)} ${m.noun} tools for watsonx Orchestrate.`,
    '',
    ...wrap(paragraph(rng, 2, 4), 92),
    '"""',
    '',
    'from __future__ import annotations',
    '',
    'import json',
    'import logging',
    'import os',
    'from dataclasses import dataclass, field',
    'from datetime import datetime, timezone',
    'from typing import Any, Optional',
    '',
    'import requests',
    'from ibm_watsonx_orchestrate.agent_builder.connections import ConnectionType, ExpectedCredentials',
    'from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool',
    'from ibm_watsonx_orchestrate.run import connections',
    '',
    'logger = logging.getLogger(__name__)',
    '',
    `CONNECTION_APP_ID = "${m.connection.appId}"`,
    `DEFAULT_TIMEOUT_SECONDS = ${rng.pick([10, 20, 30, 60])}`,
    `PAGE_SIZE = ${rng.pick([25, 50, 100])}`,
    `SERVICE_NAME = os.environ.get("${m.domain.toUpperCase()}_SERVICE_NAME", "${m.domain}")`,
  ];
  const plant = f.plant ? ['', ...f.plant.lines] : [];
  const statuses = rng.sample(['open', 'pending', 'approved', 'rejected', 'closed', 'on_hold', 'escalated', 'draft', 'cancelled'], 5);
  const core = [
    '',
    'STATUS_LABELS = {',
    ...statuses.map((s) => `    "${s.toUpperCase()}": "${s.replace('_', ' ')}",`),
    '}',
    '',
    '',
    '@dataclass',
    `class ${Noun}Record:`,
    `    """A ${m.noun} as returned by the ${m.domain} service."""`,
    '',
    '    id: str',
    '    status: str',
    '    owner: Optional[str] = None',
    '    updated_at: Optional[str] = None',
    '    attributes: dict[str, Any] = field(default_factory=dict)',
    '',
    '    @classmethod',
    `    def from_api(cls, payload: dict[str, Any]) -> "${Noun}Record":`,
    '        return cls(',
    '            id=str(payload.get("id", "")),',
    '            status=STATUS_LABELS.get(str(payload.get("status", "")).upper(), "unknown"),',
    '            owner=payload.get("owner"),',
    '            updated_at=payload.get("updated_at"),',
    '            attributes={k: v for k, v in payload.items() if k not in {"id", "status", "owner", "updated_at"}},',
    '        )',
    '',
    '',
    'def _session() -> requests.Session:',
    `    creds = connections.${connFn}(CONNECTION_APP_ID)`,
    '    session = requests.Session()',
    '    session.headers.update({"Accept": "application/json", "User-Agent": f"wxo-{SERVICE_NAME}-tools"})',
    ...(m.connection.kind === 'basic'
      ? ['    session.auth = (creds.username, creds.password)']
      : m.connection.kind === 'api_key'
        ? ['    session.headers["X-API-Key"] = creds.api_key']
        : m.connection.kind === 'key_value'
          ? ['    session.headers["X-Account"] = creds.get("ACCOUNT_ID", "")']
          : m.connection.kind === 'bearer'
            ? ['    session.headers["Authorization"] = "Bearer " + creds.token']
            : ['    session.headers["Authorization"] = "Bearer " + creds.access_token']),
    '    return session',
    '',
    '',
    'def _base_url() -> str:',
    `    return os.environ.get("${m.domain.toUpperCase()}_BASE_URL", "https://${m.host}/v1").rstrip("/")`,
  ];
  const tools = [];
  for (const t of m.tools) {
    const idArg = `${m.noun}_id`;
    tools.push(
      '',
      '',
      '@tool(',
      `    name="${t.name}",`,
      `    description=${JSON.stringify(sentence(rng))},`,
      `    permission=ToolPermission.${t.verb === 'get' || t.verb === 'list' || t.verb === 'search' || t.verb === 'lookup' ? 'READ_ONLY' : 'READ_WRITE'},`,
      `    expected_credentials=[ExpectedCredentials(app_id="${m.connection.appId}", type=ConnectionType.${connType})],`,
      ')',
      `def ${t.name}(${idArg}: str, include_history: bool = False) -> dict[str, Any]:`,
      `    """${sentence(rng)}`,
      '',
      '    Args:',
      `        ${idArg}: Identifier of the ${m.noun}.`,
      '        include_history: Also return the change history.',
      '',
      '    Returns:',
      `        The ${m.noun} as a dictionary, with a human-readable status.`,
      '    """',
      '    session = _session()',
      `    url = f"{_base_url()}/${plural(m.noun)}/{${idArg}}"`,
      `    response = session.${t.verb === 'get' || t.verb === 'lookup' || t.verb === 'list' || t.verb === 'search' ? 'get' : 'post'}(url, params={"history": include_history}, timeout=DEFAULT_TIMEOUT_SECONDS)`,
      '    if response.status_code == 404:',
      `        return {"found": False, "${idArg}": ${idArg}}`,
      '    response.raise_for_status()',
      `    record = ${Noun}Record.from_api(response.json())`,
      `    logger.info("${t.name} %s -> %s", ${idArg}, record.status)`,
      '    return {"found": True, **record.__dict__}',
    );
  }
  const units = [];
  let size = byteLength(head) + byteLength(plant) + byteLength(core) + byteLength(tools);
  let k = 1;
  while (size < f.target) {
    const h = pyHelper(rng, k++, m.noun);
    units.push(h);
    size += byteLength(h);
  }
  return [...head, ...plant, ...core, ...units.flat(), ...tools].join('\n') + '\n';
}

const PY_PACKAGES = [
  'annotated-types',
  'anyio',
  'attrs',
  'boto3',
  'botocore',
  'cachetools',
  'certifi',
  'cffi',
  'charset-normalizer',
  'click',
  'cryptography',
  'dnspython',
  'docstring-parser',
  'email-validator',
  'h11',
  'httpcore',
  'httpx',
  'idna',
  'importlib-metadata',
  'jinja2',
  'jmespath',
  'jsonref',
  'jsonschema',
  'jsonschema-specifications',
  'langchain-core',
  'lxml',
  'markdown-it-py',
  'markupsafe',
  'mdurl',
  'numpy',
  'openpyxl',
  'orjson',
  'packaging',
  'pandas',
  'pydantic',
  'pydantic-core',
  'pygments',
  'pyjwt',
  'python-dateutil',
  'python-dotenv',
  'pytz',
  'pyyaml',
  'referencing',
  'requests',
  'requests-toolbelt',
  'rich',
  'rpds-py',
  's3transfer',
  'shellingham',
  'six',
  'sniffio',
  'sqlalchemy',
  'tenacity',
  'tqdm',
  'typer',
  'typing-extensions',
  'tzdata',
  'urllib3',
  'xmltodict',
  'zipp',
  'tabulate',
  'psycopg2-binary',
  'pymongo',
  'redis',
  'ibm-cloud-sdk-core',
  'ibm-cos-sdk',
  'elasticsearch',
  'pymilvus',
  'protobuf',
  'grpcio',
];

export function requirementsTxt(rng, f) {
  const head = [
    '#',
    '# This file is autogenerated by pip-compile with Python 3.12',
    '# by the following command:',
    '#',
    '#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in',
    '#',
  ];
  if (f.plant) head.push(...f.plant.lines);
  const lines = [...head, 'ibm-watsonx-orchestrate==1.14.0 \\', `    --hash=sha256:${rng.chars(HEX, 64)}`, '    # via -r requirements.in'];
  let size = byteLength(lines);
  for (const pkg of rng.shuffle([...PY_PACKAGES])) {
    if (size >= f.target) break;
    const entry = [`${pkg}==${rng.int(0, 4)}.${rng.int(0, 30)}.${rng.int(0, 12)} \\`];
    const hashes = rng.int(1, 3);
    for (let i = 0; i < hashes; i++) entry.push(`    --hash=sha256:${rng.chars(HEX, 64)}${i < hashes - 1 ? ' \\' : ''}`);
    entry.push(`    # via ${rng.pick(PY_PACKAGES)}`);
    lines.push(...entry);
    size += byteLength(entry);
  }
  return lines.join('\n') + '\n';
}

// ---- .env-like configuration ---------------------------------------------------------------------

const CFG_KEYS = [
  ['HTTP_TIMEOUT_SECONDS', () => String(30)],
  ['MAX_RETRIES', () => '3'],
  ['LOG_LEVEL', (r) => r.pick(['info', 'debug', 'warning'])],
  ['LOG_FORMAT', () => 'json'],
  ['CACHE_DIR', () => '/var/cache/wxo'],
  ['CACHE_TTL_SECONDS', () => '900'],
  ['REGION', (r) => r.pick(['us-south', 'eu-de', 'jp-tok'])],
  ['QUEUE_NAME', (r) => `${r.pick(DOMAINS)}-events`],
  ['BATCH_SIZE', () => '200'],
  ['WORKER_COUNT', () => '4'],
  ['BASE_URL', (r) => `https://${hostName(r)}/v1`],
  ['TZ', () => 'UTC'],
  ['LOCALE', () => 'en_US.UTF-8'],
  ['METRICS_PORT', () => '9464'],
  ['TRACE_SAMPLE_RATE', () => '0.05'],
  ['FEATURE_SUMMARY_ENABLED', () => 'true'],
  ['FEATURE_ESCALATION_ENABLED', () => 'false'],
  ['DEFAULT_LANGUAGE', () => 'en'],
  ['MAX_ATTACHMENT_MB', () => '20'],
  ['ARCHIVE_BUCKET', (r) => `wxo-${r.pick(DOMAINS)}-archive`],
];

export function envCfg(rng, f) {
  const prefix = f.domain.toUpperCase();
  const units = [
    [
      `# ${titleCase(f.domain)} tool runtime — environment defaults, loaded by the container entrypoint.`,
      '# Values here are not secret; credentials come from the connection at run time.',
      '',
    ],
  ];
  let size = 200;
  let g = 1;
  while (size < f.target) {
    const lines = [`# --- ${title(rng).toLowerCase()} (group ${g}) ---`, ...wrap(sentence(rng), 90).map((l) => `# ${l}`)];
    for (const [key, val] of rng.sample(CFG_KEYS, rng.int(4, 8))) lines.push(`${prefix}_G${g}_${key}="${val(rng)}"`);
    lines.push('');
    units.push(lines);
    size += byteLength(lines);
    g++;
  }
  return assemble(units, f.plant ? [...f.plant.lines, ''] : undefined, rng);
}

// ---- plain configuration YAML --------------------------------------------------------------------

export function configYaml(rng, f) {
  const units = [
    [
      `# ${title(rng)} — settings of the ${f.domain} integration service.`,
      '# Not a watsonx Orchestrate resource: read by the tool runtime at start-up.',
      'service:',
      `  name: ${f.domain}-integration`,
      `  region: ${rng.pick(['us-south', 'eu-de'])}`,
      `  timeout_seconds: ${rng.pick([10, 30, 60])}`,
      '',
    ],
  ];
  let size = 250;
  let i = 1;
  while (size < f.target) {
    const kind = rng.int(0, 2);
    let lines;
    if (kind === 0) {
      lines = [`route_group_${i}:`, `  description: ${JSON.stringify(sentence(rng))}`, '  routes:'];
      for (let r = 0; r < rng.int(3, 8); r++) {
        const noun = rng.pick(NOUNS);
        lines.push(
          `    - path: /${plural(noun)}/${rng.pick(['search', 'export', 'summary', 'history'])}`,
          `      method: ${rng.pick(['GET', 'POST'])}`,
          `      cache_seconds: ${rng.pick([0, 60, 300])}`,
          `      note: ${JSON.stringify(sentence(rng))}`,
        );
      }
    } else if (kind === 1) {
      lines = [
        `schedule_${i}:`,
        `  cron: "${rng.int(0, 59)} ${rng.int(0, 23)} * * ${rng.pick(['*', '1-5'])}"`,
        `  job: ${rng.pick(DOMAINS)}_${rng.pick(['sync', 'report', 'cleanup', 'reindex'])}`,
        '  retry:',
        `    attempts: ${rng.int(1, 5)}`,
        `    backoff_seconds: ${rng.pick([5, 30, 120])}`,
        `  comment: ${JSON.stringify(paragraph(rng, 1, 2))}`,
      ];
    } else {
      lines = [`feature_flags_${i}:`];
      for (let r = 0; r < rng.int(3, 7); r++)
        lines.push(
          `  ${rng.pick(DOMAINS)}_${rng.pick(['summary', 'routing', 'escalation', 'translation', 'handoff'])}_${r}: ${rng.pick(['true', 'false'])}`,
        );
    }
    lines.push('');
    units.push(lines);
    size += byteLength(lines);
    i++;
  }
  return assemble(units, f.plant ? [...f.plant.lines, ''] : undefined, rng);
}

// ---- OpenAPI -------------------------------------------------------------------------------------

export function openapiYaml(rng, f) {
  const api = f.api;
  const server = f.plant?.server ?? (api.valueKey ? `\${values.${api.valueKey}}` : `https://${api.host}/${api.domain}/v1`);
  const head = [
    'openapi: 3.0.3',
    'info:',
    `  title: ${yq(`${titleCase(api.domain)} ${titleCase(api.noun)} API`)}`,
    `  version: 1.${rng.int(0, 9)}.${rng.int(0, 20)}`,
    '  description: >-',
    ...block(wrap(paragraph(rng, 2, 3), 90), 4),
    'servers:',
    `  - url: ${JSON.stringify(server)}`,
    'security:',
    '  - apiKeyHeader: []',
    'paths:',
  ];
  const paths = [];
  for (const op of api.operations) {
    paths.push(
      `  /${plural(api.noun)}/${op.suffix}/{id}:`,
      `    ${op.method}:`,
      `      operationId: ${op.id}`,
      `      summary: ${JSON.stringify(sentence(rng))}`,
      '      description: >-',
      ...block(wrap(paragraph(rng, 1, 3), 88), 8),
      '      parameters:',
      '        - name: id',
      '          in: path',
      '          required: true',
      '          schema:',
      '            type: string',
      '      responses:',
      '        "200":',
      '          description: OK',
      '          content:',
      '            application/json:',
      '              schema:',
      `                $ref: "#/components/schemas/${camel(api.noun)}"`,
      '        "404":',
      '          description: Not found',
    );
  }
  const comps = [
    'components:',
    '  securitySchemes:',
    '    apiKeyHeader:',
    '      type: apiKey',
    '      in: header',
    '      name: X-API-Key',
    '  schemas:',
  ];
  const schemaUnits = [];
  const mainSchema = [
    `    ${camel(api.noun)}:`,
    '      type: object',
    '      required: [id, status]',
    '      properties:',
    '        id:',
    '          type: string',
    '        status:',
    '          type: string',
    `          enum: [open, pending, closed]`,
  ];
  schemaUnits.push(mainSchema);
  const extra = f.plant?.lines ?? [];
  let size = byteLength(head) + byteLength(paths) + byteLength(comps) + byteLength(mainSchema) + byteLength(extra);
  let s = 1;
  while (size < f.target) {
    const lines = [
      `    ${camel(rng.pick(NOUNS))}Detail${s}:`,
      '      type: object',
      `      description: ${JSON.stringify(sentence(rng))}`,
      '      properties:',
    ];
    for (const fld of rng.sample(FIELDS, rng.int(3, 7))) {
      lines.push(
        `        ${fld}:`,
        `          type: ${rng.pick(['string', 'integer', 'number', 'boolean'])}`,
        `          description: ${JSON.stringify(sentence(rng))}`,
      );
    }
    schemaUnits.push(lines);
    size += byteLength(lines);
    s++;
  }
  return [...head, ...paths, ...comps, ...schemaUnits.flat(), ...extra].join('\n') + '\n';
}

// ---- flows ---------------------------------------------------------------------------------------

export function flowJson(rng, f, world) {
  const fl = f.flow;
  const flow = {
    spec: {
      kind: 'flow',
      name: fl.name,
      display_name: titleCase(fl.name),
      description: paragraph(rng, 1, 2),
      input_schema: { $ref: '#/schemas/FlowInput' },
      output_schema: { $ref: '#/schemas/FlowOutput' },
      schedulable: false,
    },
    nodes: { __start__: { spec: { kind: 'start', name: '__start__', display_name: 'Start' } } },
    edges: [],
    schemas: {
      FlowInput: {
        type: 'object',
        properties: { [`${fl.noun}_id`]: { type: 'string', description: sentence(rng) } },
        required: [`${fl.noun}_id`],
      },
      FlowOutput: { type: 'object', properties: { summary: { type: 'string' }, status: { type: 'string' } } },
    },
    metadata: { source_kind: 'adk/python', compiled_with: 'ibm-watsonx-orchestrate 1.14.0' },
  };
  let size = JSON.stringify(flow, null, 2).length + 600;
  let prev = '__start__';
  let i = 1;
  while (size < f.target || i <= 2) {
    const asAgent = rng.chance(0.2) && world.agentNames.length;
    const name = `step_${i}`;
    const spec = asAgent
      ? {
          kind: 'agent',
          name,
          display_name: `Ask ${titleCase(rng.pick(DOMAINS))} agent`,
          description: sentence(rng),
          agent: rng.pick(world.agentNames),
          message: instruction(rng),
        }
      : {
          kind: 'tool',
          name,
          display_name: titleCase(rng.pick(NOUNS)) + ' step',
          description: sentence(rng),
          tool: rng.pick(world.flowToolNames),
          input_schema: {
            type: 'object',
            properties: Object.fromEntries(rng.sample(FIELDS, 3).map((x) => [x, { type: 'string', description: sentence(rng) }])),
          },
          output_schema: { type: 'object', properties: { result: { type: 'string' } } },
        };
    flow.nodes[name] = { spec };
    flow.edges.push({ start: prev, end: name });
    size += JSON.stringify({ spec }, null, 2).length * 1.25 + 60;
    prev = name;
    i++;
  }
  flow.nodes.__end__ = { spec: { kind: 'end', name: '__end__', display_name: 'End' } };
  flow.edges.push({ start: prev, end: '__end__' });
  if (f.plant) flow.metadata.runtime = f.plant.obj;
  return JSON.stringify(flow, null, 2) + '\n';
}

// ---- connections ---------------------------------------------------------------------------------

const CRED_FIELDS = {
  api_key: ['api_key'],
  basic: ['username', 'password'],
  bearer: ['token'],
  oauth_auth_client_credentials_flow: ['client_id', 'client_secret', 'token_url'],
  key_value: ['entries'],
};

/** Returns { text, placeholders: [needle…] } — the ${NAME} credential lines are decoys. */
export function connectionYaml(rng, f) {
  const c = f.connection;
  const stem = c.appId.toUpperCase();
  const placeholders = [];
  const envBlock = (env) => {
    const E = env.toUpperCase();
    const lines = [
      `  ${env}:`,
      `    kind: ${c.kind}`,
      '    type: team',
      `    server_url: \${values.connections.${c.appId}.${env}_url}`,
      '    credentials:',
    ];
    for (const field of CRED_FIELDS[c.kind]) {
      if (field === 'entries') {
        lines.push('      entries:');
        for (const k of ['ACCOUNT_ID', 'REGION_CODE']) {
          const ph = `\${${stem}_${E}_${k}}`;
          lines.push(`        ${k}: ${ph}`);
          placeholders.push(`${k}: ${ph}`);
        }
      } else if (field === 'client_id') {
        lines.push(`      client_id: ${c.appId}-${env}-client`);
      } else if (field === 'token_url') {
        lines.push(`      token_url: https://${c.host}/oauth/token`);
      } else if (env === 'live' && f.plant && f.plant.field === field) {
        lines.push(`      ${field}: ${JSON.stringify(f.plant.value)}`);
      } else {
        const ph = `\${${stem}_${E}_${field.toUpperCase()}}`;
        lines.push(`      ${field}: ${ph}`);
        placeholders.push(`${field}: ${ph}`);
      }
    }
    return lines;
  };
  const body = ['spec_version: v1', 'kind: connection', `app_id: ${c.appId}`, 'environments:', ...envBlock('draft'), ...envBlock('live')];
  const comments = [
    `# Connection ${c.appId} (${c.kind}) — ${titleCase(c.domain)} back end at ${c.host}.`,
    '# A template: the deploy runner fills the ${NAME} placeholders from the vault per environment.',
    '#',
  ];
  let size = byteLength(body) + byteLength(comments);
  while (size < f.target) {
    const lines = wrap(paragraph(rng, 2, 4), 94).map((l) => `# ${l}`);
    lines.push('#');
    comments.push(...lines);
    size += byteLength(lines);
  }
  return { text: [...comments, ...body].join('\n') + '\n', placeholders };
}

// ---- knowledge bases -----------------------------------------------------------------------------

export function kbYaml(rng, f) {
  const kb = f.kb;
  const head = [`# Knowledge base ${kb.name}: ${kb.docs.length} documents about ${kb.domain}.`];
  const body = [
    'spec_version: v1',
    'kind: knowledge_base',
    `name: ${kb.name}`,
    'description: >-',
    ...block(wrap(paragraph(rng, 2, 3), 90), 2),
    'documents:',
    ...kb.docs.map((d) => `  - ${d}`),
    'vector_index:',
    '  embeddings_model_name: ibm/slate-125m-english-rtrvr-v2',
    `  chunk_size: ${rng.pick([300, 400, 512])}`,
    `  chunk_overlap: ${rng.pick([20, 50, 64])}`,
    `  extraction_strategy: ${rng.pick(['express', 'standard'])}`,
  ];
  let size = byteLength(head) + byteLength(body);
  while (size < f.target) {
    const lines = wrap(paragraph(rng, 2, 4), 94).map((l) => `# ${l}`);
    head.push(...lines);
    size += byteLength(lines);
  }
  return [...head, ...body].join('\n') + '\n';
}

// ---- documents -----------------------------------------------------------------------------------

function mdUnit(rng) {
  const lines = [`## ${title(rng)}`, ''];
  const kind = rng.int(0, 5);
  lines.push(...wrap(paragraph(rng, 3, 7), 100), '');
  if (kind === 0) {
    for (let i = 0; i < rng.int(3, 6); i++) lines.push(`- ${sentence(rng)}`);
    lines.push('');
  } else if (kind === 1) {
    lines.push('| Step | Owner | Target |', '| --- | --- | --- |');
    for (let i = 0; i < rng.int(3, 6); i++)
      lines.push(
        `| ${titleCase(rng.pick(NOUNS))} check | ${rng.pick(['service desk', 'finance', 'HR', 'legal', 'IT ops'])} | ${rng.int(1, 5)} days |`,
      );
    lines.push('');
  } else if (kind === 2) {
    lines.push('```bash', `orchestrate ${rng.pick(['agents', 'tools', 'knowledge-bases'])} list -v | jq '.[] | .name'`, '```', '');
  } else if (kind === 3) {
    for (let i = 0; i < rng.int(2, 5); i++) lines.push(`${i + 1}. ${instruction(rng)}`);
    lines.push('');
  }
  return lines;
}

export function markdownDoc(rng, f) {
  const units = [[`# ${title(rng)}`, '', ...wrap(paragraph(rng, 2, 4), 100), '']];
  let size = byteLength(units[0]);
  while (size < f.target) {
    const u = mdUnit(rng);
    units.push(u);
    size += byteLength(u);
  }
  return assemble(units, f.plant?.lines, rng);
}

export function textDoc(rng, f) {
  const t = title(rng);
  const units = [[t, '='.repeat(t.length), '', ...wrap(paragraph(rng, 2, 4), 78), '']];
  let size = byteLength(units[0]);
  while (size < f.target) {
    const u = rng.chance(0.5)
      ? [`Q: ${instruction(rng).replace(/\.$/, '?')}`, ...wrap(`A: ${paragraph(rng, 2, 4)}`, 78), '']
      : [...wrap(paragraph(rng, 3, 7), 78), ''];
    units.push(u);
    size += byteLength(u);
  }
  return assemble(units, f.plant?.lines, rng);
}

export function htmlDoc(rng, f) {
  const t = title(rng);
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    `  <title>${t}</title>`,
    '</head>',
    '<body>',
    `  <h1>${t}</h1>`,
  ];
  const tail = ['</body>', '</html>'];
  const units = [[`  <p>${paragraph(rng, 2, 3)}</p>`]];
  let size = byteLength(head) + byteLength(tail);
  while (size < f.target) {
    const u = [`  <h2>${title(rng)}</h2>`, '  <p>', ...wrap(paragraph(rng, 3, 6), 96).map((l) => `    ${l}`), '  </p>'];
    if (rng.chance(0.4)) {
      u.push('  <ul>');
      for (let i = 0; i < rng.int(3, 5); i++) u.push(`    <li>${sentence(rng)}</li>`);
      u.push('  </ul>');
    } else if (rng.chance(0.3)) {
      u.push('  <table>', '    <tr><th>Item</th><th>Owner</th><th>Days</th></tr>');
      for (let i = 0; i < rng.int(3, 6); i++)
        u.push(
          `    <tr><td>${titleCase(rng.pick(NOUNS))}</td><td>${rng.pick(['finance', 'HR', 'IT ops', 'legal'])}</td><td>${rng.int(1, 10)}</td></tr>`,
        );
      u.push('  </table>');
    }
    units.push(u);
    size += byteLength(u);
  }
  return (
    [
      ...head,
      ...assemble(
        units,
        f.plant?.lines.map((l) => `  ${l}`),
        rng,
      )
        .trimEnd()
        .split('\n'),
      ...tail,
    ].join('\n') + '\n'
  );
}

// ---- second profile (adk): tests beside tools, per-environment overlays -----------------------------

/** pytest module beside a tool module: fixtures and asserts, the shapes real test files have. */
export function pythonTest(rng, f) {
  const m = f.module;
  const lines = [
    `"""Tests of the ${m.domain} ${m.noun} tools (run with pytest, no network)."""`,
    '',
    'from unittest import mock',
    '',
    'import pytest',
    '',
    `from ${m.dir} import ${m.tools.map((t) => t.name).join(', ')}`,
    '',
  ];
  if (f.plant) lines.push(...f.plant.lines, '');
  let size = byteLength(lines);
  let k = 1;
  while (size < f.target) {
    const t = rng.pick(m.tools);
    const id = `${m.noun.toUpperCase().slice(0, 3)}-${rng.int(1000, 9999)}`;
    const test = [
      '',
      '@pytest.fixture',
      `def ${m.noun}_payload_${k}():`,
      `    return {"id": "${id}", "status": "${rng.pick(['open', 'pending', 'closed'])}", "owner": "${rng.pick(['amara', 'bruno', 'chen', 'dana'])}"}`,
      '',
      '',
      `def test_${t.name}_${k}(${m.noun}_payload_${k}):`,
      `    """${sentence(rng)}"""`,
      '    with mock.patch("requests.Session.get") as get:',
      `        get.return_value.status_code = ${rng.pick([200, 404])}`,
      `        get.return_value.json.return_value = ${m.noun}_payload_${k}`,
      `        result = ${t.name}("${id}")`,
      '    assert result["found"] in (True, False)',
      '',
    ];
    lines.push(...test);
    size += byteLength(test);
    k++;
  }
  return lines.join('\n') + '\n';
}

/** A tiny per-environment overlay (`environments/<env>/…`): a few settings that differ per stage. */
export function overlayYaml(rng, f) {
  const lines = [
    `# ${f.env} overrides for ${f.target_name}`,
    `agent: ${f.target_name}`,
    `llm: ${rng.pick(LLMS)}`,
    'llm_config:',
    `  temperature: ${rng.pick(['0', '0.1', '0.2'])}`,
    `  max_tokens: ${rng.pick([1024, 2048, 4096])}`,
  ];
  if (rng.chance(0.5))
    lines.push('feature_flags:', `  summaries: ${rng.pick(['true', 'false'])}`, `  escalation: ${rng.pick(['true', 'false'])}`);
  if (f.plant) lines.push(...f.plant.lines);
  let size = byteLength(lines);
  while (size < f.target - 80) {
    const line = `# ${sentence(rng)}`.slice(0, 100);
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}
