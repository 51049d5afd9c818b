import type { SecretMatch } from './types.js';

/**
 * secretlint's recommended preset through its core API, loaded on first use (hooks that stage no
 * suspicious text never pay for it).
 *
 * secretlint 11 marks a performance entry per rule per file and its observer searches all previous
 * entries on every mark, which makes one long-lived process quadratic in the number of files
 * (fixed upstream in 13.x, which needs Node 22). The profiler is switched off here.
 */
type LintSource = (args: { source: any; options: any }) => Promise<{ messages: any[] }>;

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

let loaded: Promise<{ lintSource: LintSource; config: unknown }> | undefined;

function load() {
  loaded ??= (async () => {
    const profiler = await import('@secretlint/profiler');
    (profiler.secretLintProfiler as { mark: (m: unknown) => void }).mark = () => {};
    const [{ lintSource }, preset] = await Promise.all([import('@secretlint/core'), import(PRESET_ID)]);
    const config = {
      rules: [
        {
          id: PRESET_ID,
          rule: preset.creator,
          // Access key ids (AKIA…) are off by default in secretlint; a leaked key id is worth a stop.
          rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
        },
      ],
    };
    return { lintSource: lintSource as unknown as LintSource, config };
  })();
  return loaded;
}

/** Labels for secretlint's message ids (its own messages embed the secret, so they are not used). */
const LABELS: Record<string, string> = {
  AWSAccountID: 'AWS account id',
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccessKeyID: 'AWS access key id',
  PrivateKeyP12: 'GCP service account key (p12)',
  PrivateKeyJSON: 'GCP service account key (JSON)',
  PackageJSON_xOauthToken: 'GitHub token in a package URL',
  Npmrc_authToken: 'npm auth token in .npmrc',
  NPM_ACCESS_TOKEN: 'npm access token',
  SLACK_TOKEN: 'Slack token',
  IncomingWebhook: 'Slack incoming webhook URL',
  BasicAuth: 'password in a URL (basic auth)',
  OPENAI_TOKEN: 'OpenAI API key',
  ANTHROPIC_API_KEY: 'Anthropic API key',
  LINEAR_API_TOKEN: 'Linear API key',
  PrivateKey: 'private key',
  SENDGRID_KEY: 'SendGrid API key',
  SHOPIFY_KEY: 'Shopify token',
  GITHUB_TOKEN: 'GitHub token',
  OPS_TOKEN: '1Password service account token',
  MongoDBConnection: 'MongoDB connection string with a password',
  MySQLConnection: 'MySQL connection string with a password',
  PostgreSQLConnection: 'PostgreSQL connection string with a password',
};

export async function secretlintScan(text: string, filePath: string): Promise<SecretMatch[]> {
  const { lintSource, config } = await load();
  const dot = filePath.lastIndexOf('.');
  const result = await lintSource({
    source: { content: text, filePath, ext: dot > filePath.lastIndexOf('/') ? filePath.slice(dot) : '', contentType: 'text' },
    options: { config, noPhysicFilePath: true, maskSecrets: false },
  });
  return result.messages.map((m) => {
    const [start, end] = m.range as [number, number];
    const data = (m.data ?? {}) as Record<string, unknown>;
    const value = String(Object.values(data).find((v) => typeof v === 'string' && v.length > 0) ?? text.slice(start, end));
    const valueStart = text.indexOf(value, start);
    const at = valueStart >= 0 ? valueStart : start;
    return {
      detector: `secretlint/${String(m.ruleId).replace('@secretlint/secretlint-rule-', '')}`,
      label: LABELS[m.messageId as string] ?? String(m.messageId),
      start: at,
      end: at + value.length,
      value,
    };
  });
}
