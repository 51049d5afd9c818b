import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeWriteFile } from '../fs/safeWrite.js';
import { parsePolicy } from '../policy/parsePolicy.js';
import { POLICY_FILE } from '../policy/model.js';
import { defaultPolicyText } from '../snapshot/policyCache.js';
import { TOOL_VERSION } from '../version.js';
import { HOOK_NAMES } from '../hooks/names.js';
import { hookShim } from './hookShim.js';
import { HUSKY_DIR } from './install.js';
import { findLintStagedConfig } from './lintStaged.js';
import { learnTenants, policyWithTenants, readBranchTenantFiles, type Learned } from './learnTenants.js';
import { LINT_STAGED_CONFIG, mergeGitattributes, mergeGitignore, mergePackageJson } from './scaffold.js';

/**
 * `init`: scaffolds wxo-policy into an existing GitOps repository. Creates what is missing, merges
 * into .gitattributes, .gitignore and package.json, and overwrites a user's file only with --force.
 */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Action = 'created' | 'updated' | 'unchanged' | 'kept';
export interface InitStep {
  file: string;
  action: Action;
  detail?: string;
}

export interface InitOptions {
  force?: boolean;
  /** The version spec of the wxo-policy devDependency (default ^<this version>). */
  packageSpec?: string;
}

export interface InitResult {
  steps: InitStep[];
  errors: string[];
  /** What was learned from the branches' tenant.yaml files; undefined when the policy was kept. */
  learned?: Learned;
  /** The devDependency spec of wxo-policy in package.json after this run. */
  packageSpec?: string;
}

export function init(root: string, options: InitOptions = {}): InitResult {
  const steps: InitStep[] = [];
  const errors: string[] = [];
  const read = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : undefined);
  const write = (file: string, text: string, detail?: string) => {
    const before = read(file);
    if (before === text) {
      steps.push({ file, action: 'unchanged' });
      return;
    }
    safeWriteFile(root, file, text, file.startsWith(`${HUSKY_DIR}/`) ? { mode: 0o755 } : {});
    steps.push({ file, action: before === undefined ? 'created' : 'updated', ...(detail ? { detail } : {}) });
  };
  const createOnly = (file: string, text: string) => {
    const current = read(file);
    if (current === undefined || options.force) write(file, text);
    else
      steps.push({
        file,
        action: current === text ? 'unchanged' : 'kept',
        ...(current === text ? {} : { detail: 'exists; --force overwrites it' }),
      });
  };

  const defaultPolicy = defaultPolicyText();
  // A new policy gets the tenants of the environment branches (their tenant.yaml), not placeholders.
  let learned: Learned | undefined;
  if (read(POLICY_FILE) === undefined || options.force) {
    const parsedDefault = parsePolicy(defaultPolicy, 'default', defaultPolicy);
    learned = learnTenants(parsedDefault, readBranchTenantFiles(root, parsedDefault));
  }
  const newPolicy = learned
    ? policyWithTenants(defaultPolicy, parsePolicy(defaultPolicy, 'default', defaultPolicy), learned)
    : defaultPolicy;
  createOnly(POLICY_FILE, withHashKey(newPolicy, read(POLICY_FILE)));
  // The tenant-scoped globs of the policy in force (the user's, if it parses).
  let tenantScoped = parsePolicy(defaultPolicy, 'default', defaultPolicy).tenant_scoped;
  try {
    tenantScoped = parsePolicy(read(POLICY_FILE) ?? defaultPolicy, POLICY_FILE, defaultPolicy).tenant_scoped;
  } catch (e) {
    errors.push(`${POLICY_FILE} is not valid, .gitattributes uses the default tenant-scoped files: ${(e as Error).message}`);
  }
  write('.gitattributes', mergeGitattributes(read('.gitattributes'), tenantScoped));
  write('.gitignore', mergeGitignore(read('.gitignore')));

  for (const hook of HOOK_NAMES) {
    const file = `${HUSKY_DIR}/${hook}`;
    const shim = hookShim(hook);
    const current = read(file);
    if (current === undefined || options.force) write(file, shim);
    else if (current.includes(`hook ${hook}`)) steps.push({ file, action: 'unchanged' });
    else write(file, `${current.replace(/\n*$/, '\n')}\n${shim}`, 'your commands kept, wxo-policy appended');
  }

  const pkgText = read('package.json');
  const lintStaged = findLintStagedConfig(root);
  if (!lintStaged) write('.lintstagedrc.yaml', LINT_STAGED_CONFIG);
  else steps.push({ file: `lint-staged configuration (${lintStaged.where})`, action: 'kept' });

  const ownPkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  const merged = mergePackageJson(
    pkgText,
    {
      wxoPolicy: options.packageSpec ?? `^${TOOL_VERSION}`,
      husky: ownPkg.dependencies.husky,
      lintStaged: ownPkg.dependencies['lint-staged'],
    },
    slug(basename(root)),
  );
  if (merged.error) errors.push(merged.error);
  else write('package.json', merged.text);
  let packageSpec: string | undefined;
  try {
    const pkg = JSON.parse(read('package.json') ?? '{}');
    packageSpec = pkg.devDependencies?.['wxo-policy'] ?? pkg.dependencies?.['wxo-policy'];
  } catch {
    // reported above
  }

  createOnly('Jenkinsfile', readFileSync(join(PACKAGE_ROOT, 'policies', 'Jenkinsfile'), 'utf8'));
  return { steps, errors, ...(learned ? { learned } : {}), ...(packageSpec ? { packageSpec } : {}) };
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|[-._]+$/g, '') || 'wxo-gitops'
  );
}

/**
 * The new policy gets its own key for finding hashes (secrets.hash_key): committed with the policy,
 * so every clone and CI agree, and never in a report. A policy that has one keeps it (init stays
 * idempotent).
 */
function withHashKey(policyText: string, current: string | undefined): string {
  const key = /^[ \t]+hash_key:[ \t]*([0-9a-f]{32,128})[ \t]*$/m.exec(current ?? '')?.[1] ?? randomBytes(32).toString('hex');
  return policyText.replace(
    /^secrets:\n/m,
    `secrets:\n  # The key of the hashes shown with findings (HMAC-SHA256): keep it, suppressions depend on it.\n  hash_key: ${key}\n`,
  );
}
