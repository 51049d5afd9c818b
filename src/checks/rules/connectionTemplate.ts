import { maskSecret } from '../../secretValue/mask.js';
import type { FileInput } from '../fileInput.js';
import type { FileRule, RuleHit } from './fileRule.js';

/**
 * connection-template: a connection file in git is a template. Its per-environment `credentials`
 * hold `${NAME}` placeholders only (filled by the deploy runner), and hold what the connection's
 * kind needs for `orchestrate connections set-credentials`.
 */
export interface TemplateIssue {
  path: string[];
  message: string;
  severity: 'error' | 'warning';
  /** The literal found where a placeholder belongs (masked and hashed by the caller). */
  literal?: string;
}

export const PLACEHOLDER = /^\$\{[A-Z][A-Z0-9_]*\}$/;
/** Fields that are secrets; token_url, auth_url, grant_type, scope and client_id may be literals. */
const SECRET_FIELDS = new Set(['username', 'password', 'token', 'api_key', 'client_secret']);

/** Credentials each connection kind needs (`connections set-credentials` flags). */
export const REQUIRED_CREDENTIALS: Record<string, string[]> = {
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

export function checkConnectionTemplate(value: unknown): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const environments = (value as { environments?: unknown })?.environments;
  if (!environments || typeof environments !== 'object') return issues;
  for (const [envName, block] of Object.entries(environments as Record<string, any>)) {
    if (!block || typeof block !== 'object') continue;
    const base = ['environments', envName];
    const credentials = block.credentials;
    if (credentials === undefined || credentials === null) {
      if ((block.type ?? block.preference) === 'team' && REQUIRED_CREDENTIALS[block.kind]) {
        issues.push({
          path: base,
          severity: 'warning',
          message: `${envName}: a team connection without credentials — the deploy cannot run set-credentials for it`,
        });
      }
      continue;
    }
    if (typeof credentials !== 'object' || Array.isArray(credentials)) continue; // the schema reports it
    for (const [field, v] of Object.entries(credentials as Record<string, unknown>)) {
      const path = [...base, 'credentials', field];
      if (field === 'entries' && v && typeof v === 'object') {
        for (const [k, ev] of Object.entries(v as Record<string, unknown>)) {
          if (!isPlaceholder(ev)) issues.push(literalIssue([...path, k], `${envName}: credentials.entries.${k}`, ev));
        }
      } else if (SECRET_FIELDS.has(field) && !isPlaceholder(v)) {
        issues.push(literalIssue(path, `${envName}: credentials.${field}`, v));
      }
    }
    const needed = REQUIRED_CREDENTIALS[block.kind] ?? [];
    const missing = needed.filter((f) => !(f in credentials));
    if (missing.length) {
      issues.push({
        path: [...base, 'credentials'],
        severity: 'error',
        message: `${envName}: a ${block.kind} connection needs credentials ${missing.map((m) => `"${m}"`).join(', ')}`,
      });
    }
  }
  return issues;
}

function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

function literalIssue(path: string[], what: string, v: unknown): TemplateIssue {
  const issue: TemplateIssue = { path, severity: 'error', message: `${what} must be a \${NAME} placeholder, not a literal value` };
  if (typeof v === 'string' && v !== '') issue.literal = v;
  return issue;
}

/** The file rule: a connection file's issues, a literal masked and hashed (its hash is the allowlist key). */
export const connectionTemplateRule: FileRule = {
  id: 'connection-template',
  // A literal credential in a connection file is a leaked secret in a range scan as well.
  inSecretScans: 'hashed',
  check: connectionTemplate,
};

function connectionTemplate(file: FileInput): RuleHit[] {
  if (file.form !== 'text' || file.kind !== 'connection' || !file.structured || !file.parsedOk) return [];
  const { value } = file;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return checkConnectionTemplate(value).map((issue) => ({
    severity: issue.severity,
    at: file.at(issue.path),
    message: issue.message,
    ...(issue.literal ? { extra: { ...file.hashOf(issue.literal), message: `${issue.message}: ${maskSecret(issue.literal)}` } } : {}),
  }));
}
