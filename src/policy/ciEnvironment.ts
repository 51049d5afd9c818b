import { classifyBranch, tenantOf } from './environments.js';
import { approversOf, jenkinsSubmitters } from './governance.js';
import type { Policy } from './model.js';

/**
 * What a pipeline needs to know about one branch, read from the policy so the Jenkinsfile repeats
 * nothing by hand: the environment (none for other branches), its tenant and wxO stage, whether a
 * promotion into it needs an approval, and the Jenkins credential holding the tenant's API key.
 * Pure.
 */
export interface CiEnvironment {
  branch: string;
  /** Empty when the branch is not an environment branch (it is checked, never deployed). */
  environment: string;
  tenant: string;
  stage: string;
  /** A promotion edge into this environment has `approval: true`: the pipeline asks before deploying. */
  approval: boolean;
  /** The Jenkins credential (kind "Secret text") with the tenant's API key: derived from its variable. */
  credentialsId: string;
  /** The variable the key is bound to: the tenant's `api_key_secret`, tenant.yaml's `${NAME}`. */
  credentialsVariable: string;
  /** The lockable resource that serialises deploys of this environment. */
  lock: string;
  /** Who may approve the deploy (Jenkins `input submitter`: ids and groups, comma-separated); empty: anyone who may build. */
  approvers: string;
}

/** `WXO_DEV_QA_API_KEY` → `wxo-dev-qa-api-key`: the Jenkins credential id of a tenant's API key. */
export function credentialsIdOf(variable: string): string {
  return variable.toLowerCase().replace(/_+/g, '-');
}

export function ciEnvironment(branch: string, policy: Policy): CiEnvironment {
  const info = classifyBranch(branch, policy);
  if (info.kind !== 'environment')
    return {
      branch,
      environment: '',
      tenant: '',
      stage: '',
      approval: false,
      credentialsId: '',
      credentialsVariable: '',
      lock: '',
      approvers: '',
    };
  const tenant = tenantOf(policy, info.env);
  const variable = tenant.orchestrate.api_key_secret;
  return {
    branch,
    environment: info.env.name,
    tenant: tenant.name,
    stage: info.env.stage,
    approval: policy.promotions.some((e) => e.to === info.env.name && e.approval === true),
    credentialsId: credentialsIdOf(variable),
    credentialsVariable: variable,
    lock: `wxo-deploy-${info.env.name}`,
    approvers: jenkinsSubmitters(approversOf(policy, info.env)),
  };
}

/** `key=value` lines (what the Jenkinsfile parses; values never contain a newline). */
export function formatCiEnvironment(e: CiEnvironment): string {
  const pairs: [string, string][] = [
    ['branch', e.branch],
    ['environment', e.environment],
    ['tenant', e.tenant],
    ['stage', e.stage],
    ['approval', String(e.approval)],
    ['credentials_id', e.credentialsId],
    ['credentials_variable', e.credentialsVariable],
    ['lock', e.lock],
    ['approvers', e.approvers],
  ];
  return `${pairs.map(([k, v]) => `${k}=${v.replace(/[\r\n]/g, ' ')}`).join('\n')}\n`;
}
