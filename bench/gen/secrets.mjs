// Planted fake secrets and decoys. Every secret is ASSEMBLED AT RUN TIME from fragments and
// random characters, so this source file contains nothing a secret scanner should report.
//
// A kind has a value builder and, per file context, a snippet builder. Snippets come in the
// shapes the file generators understand:
//   { lines: string[], needle }            line-oriented files (py, cfg, md, txt, html, yaml, req)
//   { obj: Record<string, unknown>, needle } JSON flows (merged into metadata.runtime)
//   { field, value, needle }               connection credentials (replaces a ${NAME} placeholder)
//   { server, needle }                     OpenAPI servers[].url
// `needle` is the text whose first occurrence in the file gives the manifest's 1-based line.

import { createHmac } from 'node:crypto';
import { ALNUM, DIGITS, HEX, LOWER, UPPER } from './random.mjs';
import { FIRST_NAMES, HOST_WORDS, DOMAINS, hostName } from './text.mjs';

const j = (...parts) => parts.join('');
const PEM_LABEL = j('RSA PRI', 'VATE KEY');
const PEM_BEGIN = j('-----BE', 'GIN ', PEM_LABEL, '-----');
const PEM_END = j('-----E', 'ND ', PEM_LABEL, '-----');
const PLACEHOLDERISH =
  /example|dummy|fake|todo|xxxx|lorem|sample|test|changeme|redacted|password|secret|admin|root|user|pass|your|replace|insert/i;

function notPlaceholder(gen) {
  for (;;) {
    const v = gen();
    if (!PLACEHOLDERISH.test(v)) return v;
  }
}

const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

// ---- value builders ----------------------------------------------------------------------------

const values = {
  aws_access_key_id: (rng) => ({
    value: j(
      'AK',
      'IA',
      notPlaceholder(() => rng.chars(UPPER + DIGITS, 16)),
    ),
  }),
  aws_secret_access_key: (rng) => ({ value: notPlaceholder(() => rng.mixed(40, [UPPER, LOWER, DIGITS, '+/'])) }),
  private_key: (rng) => {
    // PKCS#1 RSA-2048 shape: SEQUENCE(len 0x04a4) INTEGER 0, INTEGER(257 bytes) … → "MIIEpAIBAAKCAQEA…"
    const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00]), rng.bytes(1180)]);
    const b64 = der.toString('base64');
    const body = b64.match(/.{1,64}/g);
    return { value: PEM_BEGIN, lines: [PEM_BEGIN, ...body, PEM_END] };
  },
  github_token: (rng) => ({
    value: j(
      'gh',
      'p_',
      notPlaceholder(() => rng.mixed(36)),
    ),
  }),
  slack_token: (rng) => ({
    value: j(
      'xo',
      'xb-',
      rng.chars(DIGITS, 12),
      '-',
      rng.chars(DIGITS, 13),
      '-',
      notPlaceholder(() => rng.mixed(24)),
    ),
  }),
  npm_token: (rng) => ({
    value: j(
      'np',
      'm_',
      notPlaceholder(() => rng.mixed(36)),
    ),
  }),
  basic_auth_url: (rng) => {
    const user = `${rng.pick(['svc', 'deploy', 'sync', 'etl', 'bot', 'ci'])}_${rng.pick(FIRST_NAMES)}`;
    const pw = notPlaceholder(() => rng.mixed(rng.int(14, 22)));
    const host = hostName(rng);
    const url = j('https://', user, ':', pw, '@', host, '/', rng.pick(['api/v2', 'simple', 'push', 'export', 'v1/reports']));
    return { value: url, user, pw, host };
  },
  database_url: (rng, variant) => {
    const scheme = variant ?? rng.pick(['postgresql', 'mysql', 'mongodb']);
    const db = rng.pick(DOMAINS);
    const user = `${db}_${rng.pick(['app', 'rw', 'svc', 'etl'])}`;
    const pw = notPlaceholder(() => rng.mixed(rng.int(16, 24), [UPPER, LOWER, DIGITS, '-_.~']));
    const host = `${db}-db-${rng.int(1, 9)}.${rng.pick(['prod', 'int', 'eu-de'])}.${rng.pick(HOST_WORDS)}.${rng.pick(['net', 'internal'])}`;
    let url;
    if (scheme === 'postgresql') url = j(scheme, '://', user, ':', pw, '@', host, ':5432/', db, '?sslmode=require');
    else if (scheme === 'mysql') url = j(scheme, '://', user, ':', pw, '@', host, ':3306/', db);
    else
      url = j(
        'mongodb+srv://',
        user,
        ':',
        pw,
        '@',
        `${db}-cluster${rng.int(0, 9)}.${rng.chars(LOWER + DIGITS, 5)}.mongodb.net/`,
        db,
        '?retryWrites=true&w=majority',
      );
    return { value: url, variant: scheme };
  },
  password: (rng) => ({ value: notPlaceholder(() => rng.mixed(rng.int(14, 24), [UPPER, LOWER, DIGITS, '!%*+-_.=?^~'])) }),
  ibm_cloud_api_key: (rng) => ({ value: notPlaceholder(() => rng.mixed(44, [UPPER, LOWER, DIGITS, '_-'])) }),
  jwt: (rng) => {
    const now = 1735689600 + rng.int(0, 3e7);
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const payload = b64url({
      sub: `${rng.pick(FIRST_NAMES)}.${rng.pick(FIRST_NAMES)}@${rng.pick(HOST_WORDS)}.com`,
      iss: `https://auth.${rng.pick(HOST_WORDS)}.com`,
      aud: rng.pick(DOMAINS),
      iat: now,
      exp: now + 31536000,
      scope: 'read write',
      jti: rng.chars(HEX, 16),
    });
    const sig = createHmac('sha256', rng.bytes(32)).update(`${header}.${payload}`).digest('base64url');
    return { value: `${header}.${payload}.${sig}` };
  },
};

// ---- decoy values ------------------------------------------------------------------------------

const DOC_KEY_ID = j('AK', 'IA', 'IOSFODNN7', 'EXAMPLE');
const DOC_SECRET = j('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLE', 'KEY');
const PLACEHOLDER_URL = j('https://', 'user', ':', 'password', '@example.com');
const PLACEHOLDER_DB = j('postgres://', 'user', ':', '${DB_PASSWORD}', '@db/app');
const SLACK_PLACEHOLDER = j('xo', 'xb-', 'your-token-here');
const unsignedJwt = (rng) =>
  `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: `${rng.pick(FIRST_NAMES)}@${rng.pick(HOST_WORDS)}.com`, role: 'tester', iat: 1735689600 + rng.int(0, 3e7) })}.`;

// ---- snippets per kind and context -------------------------------------------------------------

const fence = (lang, lines, intro) => ['', intro, '', '```' + lang, ...lines, '```', ''];
const upperName = (rng, stem) => `${rng.pick(DOMAINS).toUpperCase()}_${stem}`;

export const SECRET_KINDS = {
  aws_access_key_id: {
    value: values.aws_access_key_id,
    contexts: {
      py: (v, rng) => ({
        lines: [`AWS_ACCESS_KEY_ID = "${v.value}"`, `AWS_REGION = "${rng.pick(['us-east-1', 'eu-central-1', 'us-west-2'])}"`],
        needle: v.value,
      }),
      cfg: (v) => ({ lines: ['# S3 export bucket', `AWS_ACCESS_KEY_ID="${v.value}"`], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [`export AWS_ACCESS_KEY_ID=${v.value}`, 'aws s3 ls s3://wxo-kb-exports/'],
          'Check that the export bucket is reachable from the build agent:',
        ),
        needle: v.value,
      }),
      kb_txt: (v) => ({ lines: ['', `Access key used by the nightly archive job: ${v.value}`, ''], needle: v.value }),
      flow: (v) => ({ obj: { s3_export: { bucket: 'wxo-flow-exports', aws_access_key_id: v.value } }, needle: v.value }),
      config_yaml: (v) => ({ lines: ['s3:', '  bucket: wxo-exports', `  access_key_id: ${v.value}`], needle: v.value }),
    },
  },
  aws_secret_access_key: {
    value: values.aws_secret_access_key,
    contexts: {
      py: (v) => ({ lines: [`aws_secret_access_key = "${v.value}"`], needle: v.value }),
      cfg: (v) => ({ lines: ['# credentials of the archive user', `aws_secret_access_key = "${v.value}"`], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'ini',
          ['[wxo-archive]', `aws_secret_access_key = "${v.value}"`],
          'The archive profile in `~/.aws/credentials` of the build agent looks like this:',
        ),
        needle: v.value,
      }),
      config_yaml: (v) => ({ lines: ['archive:', '  region: eu-central-1', `  aws_secret_access_key: "${v.value}"`], needle: v.value }),
      flow: (v) => ({ obj: { archive: { region: 'us-east-1', aws_secret_access_key: v.value } }, needle: v.value }),
    },
  },
  private_key: {
    value: values.private_key,
    contexts: {
      py: (v) => ({ lines: ['SERVICE_SIGNING_KEY = """', ...v.lines, '"""'], needle: v.value }),
      doc_md: (v) => ({
        lines: fence('', v.lines, 'Signing key of the sandbox service account (used by the webhook relay):'),
        needle: v.value,
      }),
      kb_txt: (v) => ({ lines: ['', 'Key material for the partner SFTP drop:', ...v.lines, ''], needle: v.value }),
      config_yaml: (v) => ({
        lines: ['signing:', '  key_id: relay-2025-01', '  private_key: |', ...v.lines.map((l) => `    ${l}`)],
        needle: v.value,
      }),
      flow: (v) => ({ obj: { signer: { key_id: 'relay-2025-01', private_key: v.lines.join('\n') + '\n' } }, needle: v.value }),
    },
  },
  github_token: {
    value: values.github_token,
    contexts: {
      py: (v) => ({ lines: [`GITHUB_TOKEN = "${v.value}"`], needle: v.value }),
      py_test: (v) => ({ lines: [`GITHUB_TOKEN = "${v.value}"  # the CI bot's token`], needle: v.value }),
      cfg: (v) => ({ lines: [`GH_TOKEN="${v.value}"`], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [`export GITHUB_TOKEN=${v.value}`, 'gh release download --repo acme/wxo-agents --pattern "*.zip"'],
          'Download the release bundle with the CI token:',
        ),
        needle: v.value,
      }),
      agent: (v) => ({
        lines: [`To open an issue in the tracker, call the GitHub API with the token ${v.value} and label it "agent".`],
        needle: v.value,
      }),
      flow: (v) => ({ obj: { issue_tracker: { repo: 'acme/wxo-agents', github_token: v.value } }, needle: v.value }),
      config_yaml: (v) => ({ lines: ['github:', '  org: acme', `  token: ${v.value}`], needle: v.value }),
      connection: (v) => ({ field: 'token', value: v.value, needle: v.value, connKind: 'bearer' }),
    },
  },
  slack_token: {
    value: values.slack_token,
    contexts: {
      py: (v) => ({ lines: [`SLACK_BOT_TOKEN = "${v.value}"`], needle: v.value }),
      py_test: (v) => ({ lines: [`SLACK_TOKEN = "${v.value}"  # live workspace, for the smoke test`], needle: v.value }),
      cfg: (v) => ({ lines: [`SLACK_BOT_TOKEN="${v.value}"`, 'SLACK_CHANNEL="#wxo-alerts"'], needle: v.value }),
      config_yaml: (v) => ({ lines: ['slack:', '  channel: "#wxo-alerts"', `  bot_token: ${v.value}`], needle: v.value }),
      agent: (v) => ({ lines: [`Post the summary to the #ops channel using the bot token ${v.value}.`], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [
            `curl -s -H "Authorization: Bearer ${v.value}" \\`,
            '  -d channel=C0WXOALERTS -d text="deploy finished" https://slack.com/api/chat.postMessage',
          ],
          'Post a test message to the alert channel:',
        ),
        needle: v.value,
      }),
      flow: (v) => ({ obj: { notify: { channel: '#wxo-alerts', slack_bot_token: v.value } }, needle: v.value }),
    },
  },
  npm_token: {
    value: values.npm_token,
    contexts: {
      cfg: (v) => ({ lines: [`NPM_TOKEN="${v.value}"`], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'ini',
          ['registry=https://registry.npmjs.org/', `//registry.npmjs.org/:_authToken=${v.value}`],
          'The `.npmrc` of the web-chat widget build:',
        ),
        needle: v.value,
      }),
      py: (v) => ({ lines: [`NPM_PUBLISH_TOKEN = "${v.value}"`], needle: v.value }),
      kb_txt: (v) => ({ lines: ['', `npm publish token for the widget package: ${v.value}`, ''], needle: v.value }),
      config_yaml: (v) => ({ lines: ['widget:', '  package: "@acme/wxo-webchat"', `  npm_token: ${v.value}`], needle: v.value }),
    },
  },
  basic_auth_url: {
    value: values.basic_auth_url,
    contexts: {
      req: (v) => ({ lines: [`--extra-index-url ${v.value}`], needle: v.value }),
      py: (v) => ({ lines: [`REPORTING_ENDPOINT = "${v.value}"`], needle: v.value }),
      openapi: (v) => ({ server: v.value, needle: v.value }),
      config_yaml: (v) => ({ lines: ['metrics:', `  push_url: ${v.value}`, '  interval_seconds: 60'], needle: v.value }),
      doc_md: (v) => ({ lines: fence('bash', [`curl -fsS ${v.value}`], 'Smoke-test the reporting endpoint:'), needle: v.value }),
      flow: (v) => ({ obj: { callback: { url: v.value, method: 'POST' } }, needle: v.value }),
      agent: (v) => ({ lines: [`Reports are uploaded to ${v.value} once the case is closed.`], needle: v.value }),
    },
  },
  database_url: {
    value: values.database_url,
    // Which URL scheme each context gets (cfg alternates), so all three appear in every big repo.
    variants: {
      py: ['postgresql'],
      cfg: ['mysql', 'postgresql'],
      config_yaml: ['mongodb'],
      doc_md: ['mysql'],
      flow: ['postgresql', 'mongodb'],
      kb_html: ['postgresql'],
    },
    contexts: {
      py: (v) => ({ lines: [`DATABASE_URL = "${v.value}"`], needle: v.value }),
      cfg: (v) => ({ lines: [`DATABASE_URL="${v.value}"`], needle: v.value }),
      config_yaml: (v) => ({ lines: ['datastore:', `  uri: ${JSON.stringify(v.value)}`, '  pool_size: 10'], needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [`export DATABASE_URL='${v.value}'`, 'python -m reporting.backfill --since 2025-01-01'],
          'Backfill the reporting tables:',
        ),
        needle: v.value,
      }),
      flow: (v) => ({ obj: { datastore: { dsn: v.value } }, needle: v.value }),
      kb_html: (v) => ({
        lines: ['<p>Connection string used by the reporting warehouse:</p>', `<pre><code>${v.value.replace(/&/g, '&amp;')}</code></pre>`],
        needle: v.value.replace(/&/g, '&amp;'),
      }),
    },
  },
  password: {
    value: values.password,
    contexts: {
      connection: (v) => ({ field: 'password', value: v.value, needle: v.value, connKind: 'basic' }),
      config_yaml: (v, rng) => ({
        lines: [
          'database:',
          `  host: ${rng.pick(DOMAINS)}-db.internal`,
          '  port: 5432',
          `  username: ${rng.pick(DOMAINS)}_app`,
          `  password: ${JSON.stringify(v.value)}`,
        ],
        needle: v.value,
      }),
      overlay: (v) => ({ lines: ['database:', `  password: ${JSON.stringify(v.value)}`], needle: v.value }),
    },
  },
  ibm_cloud_api_key: {
    value: values.ibm_cloud_api_key,
    contexts: {
      py: (v) => ({ lines: [`IBMCLOUD_API_KEY = "${v.value}"`], needle: v.value }),
      cfg: (v) => ({ lines: [`IBMCLOUD_API_KEY="${v.value}"`], needle: v.value }),
      config_yaml: (v) => ({ lines: ['ibm_cloud:', '  region: us-south', `  apikey: ${v.value}`], needle: v.value }),
      flow: (v) => ({ obj: { cos: { bucket: 'wxo-flow-artifacts', apikey: v.value } }, needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [`orchestrate env activate wxo-dev-qa --api-key ${v.value}`],
          'Activate the dev/QA tenant from a workstation:',
        ),
        needle: v.value,
      }),
      connection: (v) => ({ field: 'api_key', value: v.value, needle: v.value, connKind: 'api_key' }),
      agent: (v) => ({ lines: [`When the catalog service asks for credentials, send apikey ${v.value} in the header.`], needle: v.value }),
    },
  },
  jwt: {
    value: values.jwt,
    contexts: {
      py: (v) => ({ lines: [`SERVICE_HEADERS = {"Authorization": "Bearer ${v.value}"}`], needle: v.value }),
      flow: (v) => ({ obj: { http_defaults: { headers: { Authorization: `Bearer ${v.value}` } } }, needle: v.value }),
      doc_md: (v) => ({
        lines: fence(
          'bash',
          [`curl -H "Authorization: Bearer ${v.value}" https://api.acme-corp.com/v1/health`],
          'Call the health endpoint with a service token:',
        ),
        needle: v.value,
      }),
      agent: (v) => ({ lines: [`Use the bearer token ${v.value} for the legacy case API.`], needle: v.value }),
      kb_html: (v) => ({
        lines: ['<p>Service token for the partner portal:</p>', `<pre><code>Authorization: Bearer ${v.value}</code></pre>`],
        needle: v.value,
      }),
      config_yaml: (v) => ({ lines: ['gateway:', '  url: https://gateway.acme-corp.com', `  bearer: ${v.value}`], needle: v.value }),
      openapi: (v) => ({
        lines: ['x-sandbox:', '  description: Pre-authorised sandbox calls', `  authorization: "Bearer ${v.value}"`],
        needle: v.value,
      }),
    },
  },
};

const FIXTURE_SLACK = j('xo', 'xb-', 'test-token');
const FIXTURE_GITHUB = j('gh', 'p_', 'test'.repeat(9));

export const DECOY_KINDS = {
  test_fixture_token: {
    contexts: {
      py_test: () => ({ lines: [`FAKE_TOKEN = "${FIXTURE_SLACK}"  # test fixture`], needle: FIXTURE_SLACK }),
      py: () => ({ lines: [`TEST_SLACK_TOKEN = "${FIXTURE_SLACK}"  # test fixture`], needle: FIXTURE_SLACK }),
      config_yaml: () => ({ lines: ['test_client:', `  token: ${FIXTURE_SLACK}`], needle: FIXTURE_SLACK }),
      doc_md: () => ({
        lines: fence('python', [`FAKE_TOKEN = "${FIXTURE_SLACK}"`], 'Tests use a fixed fake token:'),
        needle: FIXTURE_SLACK,
      }),
    },
  },
  fixture_github_token: {
    contexts: {
      py_test: () => ({ lines: [`GITHUB_TOKEN = "${FIXTURE_GITHUB}"  # fixture, low entropy`], needle: FIXTURE_GITHUB }),
      cfg: () => ({ lines: [`GH_TOKEN="${FIXTURE_GITHUB}"  # test value`], needle: FIXTURE_GITHUB }),
    },
  },
  fixture_api_key: {
    contexts: {
      py_test: () => ({ lines: ['API_KEY = "test-api-key"  # mock server accepts any key'], needle: 'test-api-key' }),
      overlay: () => ({ lines: ['api_key: dummy-api-key'], needle: 'dummy-api-key' }),
      config_yaml: () => ({ lines: ['mock_server:', '  api_key: example-api-key'], needle: 'example-api-key' }),
    },
  },
  aws_example_key_id: {
    contexts: {
      doc_md: () => ({
        lines: fence(
          'bash',
          [`export AWS_ACCESS_KEY_ID=${DOC_KEY_ID}   # the example id from the AWS documentation`],
          'The variables have this shape (values from the AWS documentation):',
        ),
        needle: DOC_KEY_ID,
      }),
      py: () => ({ lines: [`EXAMPLE_ACCESS_KEY_ID = "${DOC_KEY_ID}"  # AWS documentation example, used in tests`], needle: DOC_KEY_ID }),
      cfg: () => ({ lines: ['# documentation example, replace on the server', `AWS_ACCESS_KEY_ID="${DOC_KEY_ID}"`], needle: DOC_KEY_ID }),
      kb_md: () => ({ lines: ['', `An access key id looks like \`${DOC_KEY_ID}\` (AWS documentation example).`, ''], needle: DOC_KEY_ID }),
    },
  },
  aws_example_secret: {
    contexts: {
      doc_md: () => ({
        lines: fence(
          'ini',
          ['[default]', `aws_secret_access_key = "${DOC_SECRET}"`],
          'Example credentials file (AWS documentation values):',
        ),
        needle: DOC_SECRET,
      }),
      cfg: () => ({ lines: [`aws_secret_access_key = "${DOC_SECRET}"`], needle: DOC_SECRET }),
      py: () => ({ lines: [`aws_secret_access_key = "${DOC_SECRET}"  # AWS docs example`], needle: DOC_SECRET }),
    },
  },
  placeholder_basic_auth_url: {
    contexts: {
      doc_md: () => ({
        lines: ['', `A URL with credentials has the form \`${PLACEHOLDER_URL}\`; never commit a real one.`, ''],
        needle: PLACEHOLDER_URL,
      }),
      config_yaml: () => ({ lines: ['proxy:', `  url_template: ${PLACEHOLDER_URL}`], needle: PLACEHOLDER_URL }),
      py: () => ({ lines: [`URL_FORMAT_EXAMPLE = "${PLACEHOLDER_URL}"`], needle: PLACEHOLDER_URL }),
      kb_md: () => ({ lines: ['', `For example: ${PLACEHOLDER_URL}`, ''], needle: PLACEHOLDER_URL }),
    },
  },
  placeholder_db_url: {
    contexts: {
      config_yaml: () => ({ lines: ['reporting_db:', `  dsn: ${JSON.stringify(PLACEHOLDER_DB)}`], needle: PLACEHOLDER_DB }),
      cfg: () => ({ lines: [`DATABASE_URL="${PLACEHOLDER_DB}"`], needle: PLACEHOLDER_DB }),
      doc_md: () => ({
        lines: fence('bash', [`export DATABASE_URL='${PLACEHOLDER_DB}'`], 'The deploy runner expands the password from the vault:'),
        needle: PLACEHOLDER_DB,
      }),
    },
  },
  dummy_token: {
    contexts: {
      config_yaml: () => ({ lines: ['test_client:', '  token: dummy-token-for-tests'], needle: 'token: dummy-token-for-tests' }),
      doc_md: () => ({
        lines: fence('yaml', ['test_client:', '  token: dummy-token-for-tests'], 'Unit tests run against the stub server with:'),
        needle: 'token: dummy-token-for-tests',
      }),
    },
  },
  your_api_key_here: {
    contexts: {
      config_yaml: () => ({ lines: ['catalog:', '  api_key: your-api-key-here'], needle: 'api_key: your-api-key-here' }),
      doc_md: () => ({
        lines: fence('yaml', ['catalog:', '  api_key: your-api-key-here'], 'Template for a local `settings.yaml`:'),
        needle: 'api_key: your-api-key-here',
      }),
    },
  },
  changeme_password: {
    contexts: {
      config_yaml: () => ({ lines: ['local_db:', '  user: wxo', '  password: changeme'], needle: 'password: changeme' }),
      doc_md: () => ({
        lines: fence('yaml', ['local_db:', '  password: changeme'], 'The docker-compose stack for local testing uses:'),
        needle: 'password: changeme',
      }),
    },
  },
  slack_placeholder: {
    contexts: {
      doc_md: () => ({
        lines: fence('bash', [`export SLACK_BOT_TOKEN=${SLACK_PLACEHOLDER}`], 'Set the bot token before starting the relay locally:'),
        needle: SLACK_PLACEHOLDER,
      }),
      cfg: () => ({ lines: [`SLACK_BOT_TOKEN="${SLACK_PLACEHOLDER}"`], needle: SLACK_PLACEHOLDER }),
    },
  },
  unsigned_jwt: {
    contexts: {
      doc_md: (rng) => {
        const t = unsignedJwt(rng);
        return { lines: fence('', [t], 'An unsigned test token (`alg: none`) accepted only by the local stub:'), needle: t };
      },
      py: (rng) => {
        const t = unsignedJwt(rng);
        return { lines: [`UNSIGNED_TEST_TOKEN = "${t}"  # alg=none, rejected by every real endpoint`], needle: t };
      },
      flow: (rng) => {
        const t = unsignedJwt(rng);
        return { obj: { test_fixture: { unsigned_token: t } }, needle: t };
      },
    },
  },
  pem_placeholder: {
    contexts: {
      doc_md: () => ({
        lines: fence('', [PEM_BEGIN, '<paste the key from the vault here>', PEM_END], 'The key file must look like this:'),
        needle: PEM_BEGIN,
      }),
      kb_md: () => ({ lines: fence('', [PEM_BEGIN, '...', PEM_END], 'Keys are exchanged in PEM format:'), needle: PEM_BEGIN }),
    },
  },
  sha256_checksum: {
    contexts: {
      config_yaml: (rng) => {
        const h = rng.chars(HEX, 64);
        return { lines: ['bundle:', `  checksum: sha256:${h}`], needle: h };
      },
    },
  },
  env_reference: {
    contexts: {
      py: () => ({ lines: ['IBMCLOUD_API_KEY = os.environ["IBMCLOUD_API_KEY"]'], needle: 'IBMCLOUD_API_KEY = os.environ' }),
    },
  },
  env_placeholder: {
    contexts: {
      config_yaml: (rng) => {
        const n = upperName(rng, 'DB_PASSWORD');
        return { lines: ['warehouse:', '  user: reporting', `  password: \${${n}}`], needle: `\${${n}}` };
      },
      cfg: (rng) => {
        const n = upperName(rng, 'API_KEY');
        return { lines: [`API_KEY="\${${n}}"`], needle: `\${${n}}` };
      },
    },
  },
};

export { PEM_BEGIN };
