import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';

/** The smallest GitOps repository the default policy accepts, for one tenant. */
export const DEFAULT_POLICY = readFileSync(join(PROJECT_ROOT, 'policies', 'default.yaml'), 'utf8');

export const TENANTS = {
  'dev-qa-tenant': {
    env: 'wxo-dev-qa',
    url: 'https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/00000000-0000-0000-0000-000000000001',
    key: 'WXO_DEV_QA_API_KEY',
  },
  'prod-tenant': {
    env: 'wxo-prod',
    url: 'https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/00000000-0000-0000-0000-000000000002',
    key: 'WXO_PROD_API_KEY',
  },
} as const;
export type TenantName = keyof typeof TENANTS;

export function tenantFiles(
  tenant: TenantName,
  llm = tenant === 'prod-tenant' ? 'watsonx/ibm/granite-3-8b-instruct' : 'groq/openai/gpt-oss-120b',
): Record<string, string> {
  const t = TENANTS[tenant];
  return {
    'tenant.yaml': `tenant: ${tenant}\norchestrate:\n  env_name: ${t.env}\n  url: ${t.url}\n  auth_type: ibm_iam\n  api_key: \${${t.key}}\n`,
    'values.yaml': `tenant: ${tenant}\nvalues:\n  llm:\n    default: ${llm}\n`,
  };
}

export function minimalGitops(tenant: TenantName = 'dev-qa-tenant', version = '1.2.3'): Record<string, string> {
  return {
    'wxo-policy.yaml': DEFAULT_POLICY,
    VERSION: `${version}\n`,
    ...tenantFiles(tenant),
    'agents/helper.yaml':
      'spec_version: v1\nkind: native\nname: helper\ndescription: Answers questions\nllm: ${values.llm.default}\ntools: []\n',
  };
}
