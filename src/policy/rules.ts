import type { Level } from './model.js';

/**
 * The rule registry: one record per rule. The rule ids of the policy, the default levels, the fix
 * hints and the SARIF rule descriptions come from here; the policy schema and policies/default.yaml
 * are held to it by test/core.test.ts. A rule's own sentences (its description and fix hint) live in
 * its record, not in messages.ts. A new rule: a record here, its code in checks/rules/ (a file
 * rule is a FileRule listed in FILE_RULES of checks/analyzeFile.ts), its key in
 * schemas/policy.schema.json and policies/default.yaml.
 *
 * `stages` says where a rule runs: `file` on one file at a time (checks/analyzeFile.ts runs FILE_RULES),
 * `repository` over a whole snapshot (checks/runChecks.ts), `ref` on branches, tags and merges
 * (checks/rules/gitRules.ts, from checks/checkScope.ts), `history` over the added lines of commits
 * (checks/scanCommits.ts).
 */
export type RuleStage = 'file' | 'repository' | 'ref' | 'history';

export interface RuleRecord {
  id: string;
  /** One line: what the rule holds the repository to (SARIF shortDescription). */
  description: string;
  /** What it enforces, in full (Markdown): the README's Rules table (`npm run docs:rules`). */
  enforces: string;
  defaultLevel: Level;
  /** How to fix a finding (printed under the first finding of the rule, SARIF help). */
  hint: string;
  stages: readonly RuleStage[];
}

export const RULES = [
  {
    id: 'branch-name',
    description: 'Branch names match an environment or an allowed pattern',
    enforces: 'the branch is an environment branch or matches `branches.allowed` (`qa-1.2.3` yes; `qa-1.2`, `qa-v1.2.3`, `qa-foo` no)',
    defaultLevel: 'error',
    hint: 'Rename the branch (git branch -m NEW) to an environment branch (develop, qa-X.Y.Z, staging-X.Y.Z, main) or an allowed pattern from branches.allowed in wxo-policy.yaml.',
    stages: ['ref'],
  },
  {
    id: 'tag-name',
    description: 'Deploy tags match the environment tag patterns and point at a commit of that environment',
    enforces: "a tag matches an environment tag pattern and points at a commit of that environment's branch",
    defaultLevel: 'error',
    hint: 'Deploy tags are created by `wxo-policy deploy`; delete a hand-made tag with `git tag -d TAG` (and `git push --delete origin TAG`).',
    stages: ['ref'],
  },
  {
    id: 'promotion-path',
    description: 'Merges follow the promotion edges of the policy',
    enforces:
      'a merge (a PR, or a merge pushed to an environment branch) follows a policy edge; `same_version` edges keep the version (`qa-1.2.3 → staging-1.2.4` is refused). Edges with `approval: true` are reported (Jenkins shows the gate; the check does not block on it)',
    defaultLevel: 'error',
    hint: 'Promote along the policy edges (develop → qa-X → staging-X → main) with `wxo-policy promote`.',
    stages: ['ref'],
  },
  {
    id: 'yaml-syntax',
    description: 'YAML parses as the wxO ADK reads it',
    enforces:
      'every YAML/JSON file parses the way the ADK reads it: PyYAML / YAML 1.1 (`yes`/`no`/`on`/`off` are booleans, dates stay strings), duplicate keys accepted with the last one winning but reported as a warning; one document per wxO file; binary content where YAML is expected',
    defaultLevel: 'error',
    hint: 'Fix the YAML syntax at the position shown.',
    stages: ['file'],
  },
  {
    id: 'schema',
    description: 'wxO files validate against their JSON Schema',
    enforces:
      "each wxO file validates against its JSON Schema in [`schemas/`](schemas): agent (native, external, assistant, chosen by `kind`), knowledge base, connection template, toolkit, flow JSON, Langflow export, OpenAPI tool, voice configuration, channel, phone, model, model policy, `tenant.yaml`, `values.yaml`, and the policy itself. Enums and required fields as in the ADK; unknown keys are warnings (the ADK ignores them, they are usually typos). Findings point at the offending YAML node's line:column",
    defaultLevel: 'error',
    hint: 'Fix the value at the position shown; see the wxO ADK reference for the allowed fields.',
    stages: ['file'],
  },
  {
    id: 'references',
    description: 'Names resolve inside the repository; no collaborator cycles; names unique per kind',
    enforces:
      "agent tools, collaborators, knowledge bases, toolkits, voice configuration, guideline tools, flow tool nodes, external-agent / knowledge-base / toolkit / Python-tool / model connection `app_id`s and knowledge-base documents exist in the repository (or in `references.provided`; the ADK's intrinsic tools — flow status, get/delete schedule — are always known; Python `@flow` tools count as tools; `{agent_id}`-style names are filled at run time and not checked; `name:uuid` in UI-exported flows names `name`); every `${values.x}` exists in `values.yaml`; names are unique per kind; no collaborator cycles; when the policy has a live-stage environment, every connection a native agent uses (directly or through its tools, toolkits, knowledge bases, collaborators) has an `environments.live` block — the judgement `plan` refuses a live deploy with (one function, `src/kinds/draftLive.ts`), reported at the connection with the same words; a partial check (`--staged`) re-reads the cached files on the way from the agent to such a connection",
    defaultLevel: 'error',
    hint: 'Add the missing resource to the repository, fix the name, or list platform-provided names under references.provided in wxo-policy.yaml.',
    stages: ['repository'],
  },
  {
    id: 'secrets',
    description: 'No secrets in git',
    enforces:
      "secretlint's recommended preset (AWS — including access key ids —, GCP, private keys, npm, basic auth, Slack, SendGrid, Shopify, GitHub, OpenAI, Anthropic, Linear, 1Password, database connection strings) plus wxo-policy's own: IBM Cloud / wxO API keys, signed JWTs, credential-named YAML/JSON keys (`password`, `api_key`, `token`, `client_secret`, … — `secrets.credential_keys`) holding a literal instead of a `${NAME}` placeholder, and credential assignments in code. Placeholders, documentation examples and dummies are not secrets. Values are **masked in every output** (`ghp_******** (40 chars)`); the hash shown is the suppression key",
    defaultLevel: 'error',
    hint: 'Remove the secret and use a ${NAME} placeholder filled at deploy time; rotate it if it reached a commit that was pushed or shared. A false positive: add `# wxo-policy-ignore secrets -- reason` on the line, or a suppression with this hash.',
    stages: ['file', 'history'],
  },
  {
    id: 'connection-template',
    description: 'Connection credentials are ${NAME} placeholders',
    enforces:
      "connection files are templates: each `environments.<draft|live>.credentials` value is a `${NAME}` placeholder, and holds what the connection's kind needs for `connections set-credentials` (basic: `username`, `password`; oauth client credentials: `client_id`, `client_secret`, `token_url`; …)",
    defaultLevel: 'error',
    hint: 'Write credentials as ${NAME} placeholders; the deploy runner fills them from the secret provider.',
    stages: ['file'],
  },
  {
    id: 'forbidden-files',
    description: '.env files, private keys and rendered connections are never committed',
    enforces: '`.env` files, private keys, `.p12`/`.pfx`, rendered connection files are never committed (`forbidden_files`)',
    defaultLevel: 'error',
    hint: 'Remove the file from git (`git rm --cached FILE`) and add it to .gitignore.',
    stages: ['repository'],
  },
  {
    id: 'tenant-binding',
    description: "Tenant-scoped files declare their branch's tenant",
    enforces: "every tenant-scoped file declares a tenant of the policy, and on an environment branch the branch's tenant",
    defaultLevel: 'error',
    hint: 'Restore the file from the target branch (`git checkout <branch> -- FILE`); cross-tenant promotions go through `wxo-policy promote`, which keeps the target tenant files.',
    stages: ['repository'],
  },
  {
    id: 'version-consistency',
    description: 'The version file matches the version in the branch name',
    enforces: 'the version file (`VERSION`) on `qa-X` / `staging-X` equals X, and is a valid version on `develop` and `main`',
    defaultLevel: 'error',
    hint: 'Write the release version (MAJOR.MINOR.PATCH, e.g. 1.2.3) into the version file; on qa-X / staging-X it must be X.',
    stages: ['ref'],
  },
  {
    id: 'policy-change',
    description: 'Changes to the policy are reported',
    enforces:
      "a change to `wxo-policy.yaml` is reported (warning by default); in pull requests the target branch's policy is the one in force, so a PR can never weaken the checks that judge it",
    defaultLevel: 'warning',
    hint: 'Changes to wxo-policy.yaml need a reviewer from the platform team; in pull requests the target branch policy applies.',
    stages: ['ref'],
  },
] as const satisfies readonly RuleRecord[];

export type RuleId = (typeof RULES)[number]['id'];
export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

/** Not a rule of the policy: what stale inline comments and allowlist entries are reported as (always a warning). */
export const SUPPRESSION_RULE = {
  id: 'suppression',
  description: 'Suppressions that suppress nothing or have expired',
  hint: 'Remove the stale suppression (inline comment or wxo-policy.yaml entry).',
} as const;

/** Every rule a finding can carry: the policy's rules and `suppression`. */
export type FindingRule = RuleId | typeof SUPPRESSION_RULE.id;
export const FINDING_RULES: readonly { id: FindingRule; description: string; hint: string }[] = [...RULES, SUPPRESSION_RULE];

/** The level every rule has when the policy does not set it. */
export const DEFAULT_LEVELS = Object.fromEntries(RULES.map((r) => [r.id, r.defaultLevel])) as Record<RuleId, Level>;
