/** The policy as the rest of the toolkit sees it: wxo-policy.yaml with every default applied. */

/** The policy file at the root of a repository. */
export const POLICY_FILE = 'wxo-policy.yaml';

export type Level = 'error' | 'warning' | 'off';
export type Stage = 'draft' | 'live';

import type { RuleId } from './rules.js';
export { RULE_IDS } from './rules.js';
export type { RuleId };

export const FILE_KINDS = [
  'agent',
  'knowledge_base',
  'connection',
  'toolkit',
  'flow',
  'langflow',
  'openapi',
  'python_tool',
  'voice_config',
  'channel',
  'phone',
  'model',
  'model_policy',
  'tenant',
  'values',
  'policy',
  'auto',
  'none',
] as const;
export type FileKindSetting = (typeof FILE_KINDS)[number];
export type FileKind = Exclude<FileKindSetting, 'auto' | 'none'>;

export interface Tenant {
  name: string;
  /** username: CPD tenants log in as this user (`env activate --username`, with the API key). */
  orchestrate: { env_name: string; url: string; auth_type?: string; api_key_secret: string; username?: string };
  /** Code owners of the tenant's tenant-scoped files. */
  owners?: string[];
}

export interface Environment {
  name: string;
  /** Branch pattern; `{version}` stands for a version. */
  branch: string;
  tenant: string;
  stage: Stage;
  /** Tag pattern with `{version}`. */
  tag: string;
  /** Rollback by reset + force-push allowed (absent: draft yes, live no — see resetAllowed). */
  allow_reset?: boolean;
}

export interface PromotionEdge {
  from: string;
  to: string;
  same_version?: boolean;
  approval?: boolean;
  approvers?: string[];
  required_approvals?: number;
}

export interface Governance {
  status_check: string;
  required_approvals: number;
  approval_required_approvals: number;
  release_roles: ('maintain' | 'admin')[];
  policy_owners: string[];
  github_token_secret: string;
  gitlab_token_secret: string;
}

export interface Suppression {
  rule: string;
  hash: string;
  reason: string;
  expires?: string;
  path?: string;
}

export interface SecretProviderSettings {
  provider: 'env' | 'file' | 'command';
  file?: string;
  command?: string[];
}

export type NotificationEventName =
  'deploy_started' | 'deploy_succeeded' | 'deploy_failed' | 'rollback' | 'drift_found' | 'drift_cleared' | 'approval_waiting';

export interface NotificationTarget {
  name: string;
  type: 'slack' | 'teams' | 'json';
  url_secret: string;
  events?: NotificationEventName[];
  tenants?: string[];
  environments?: string[];
}

export interface NotificationSettings {
  timeout_seconds?: number;
  retries?: number;
  backoff_seconds?: number;
  targets?: NotificationTarget[];
}

export interface Policy {
  version: 1;
  tenants: Tenant[];
  environments: Environment[];
  promotions: PromotionEdge[];
  branches: { allowed: string[] };
  versioning: { format: 'semver' | 'pattern'; pattern?: string; source: string };
  tenant_scoped: string[];
  files: { match: string; kind: FileKindSetting }[];
  ignore: string[];
  references: {
    provided: {
      tools: string[];
      agents: string[];
      knowledge_bases: string[];
      connections: string[];
      toolkits: string[];
      voice_configs: string[];
    };
  };
  secrets: {
    secretlint: boolean;
    credential_keys: string[];
    max_file_bytes: number;
    exclude: string[];
    /** The repository's key for finding hashes (HMAC-SHA256); absent: plain SHA-256 (doctor warns). */
    hash_key?: string;
  };
  suppressions: Suppression[];
  forbidden_files: string[];
  rules: Record<RuleId, Level>;
  hooks: { protected_environments: string[]; allow_merge_commits: boolean };
  governance: Governance;
  deploy: {
    orchestrate: string;
    secrets: SecretProviderSettings;
    timeout_seconds: number;
    knowledge_base_timeout_seconds: number;
    retries: number;
    skip_version_check: boolean;
    from_hooks: boolean;
  };
  /** Webhooks (src/live/notify.ts applies the defaults). */
  notifications?: NotificationSettings;
  /** Where the policy came from: a file path, "<ref>:wxo-policy.yaml", or "built-in default". */
  origin: string;
  /** sha256 of the policy text: part of cache keys and of the deploy record. */
  hash: string;
}
