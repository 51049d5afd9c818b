import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readYaml } from '../yaml/readYaml.js';
import { LINT_STAGED_FILES } from './scaffold.js';

/**
 * Where a repository configures lint-staged — one of its configuration files, or the
 * "lint-staged" key of package.json (not the devDependency of that name) — and whether that
 * configuration has any tasks. `init` writes a configuration only where there is none; the
 * pre-commit hook runs lint-staged only when there are tasks.
 */
export interface LintStagedConfig {
  where: string;
  tasks: boolean;
}

export function findLintStagedConfig(root: string): LintStagedConfig | undefined {
  for (const file of LINT_STAGED_FILES) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    if (!/\.(json|ya?ml)$|rc$/.test(file)) return { where: file, tasks: true }; // JavaScript configs: assume tasks
    return { where: file, tasks: hasKeys(readYaml(readFileSync(path, 'utf8')).value) };
  }
  const pkg = join(root, 'package.json');
  if (!existsSync(pkg)) return undefined;
  try {
    const json = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown> | null;
    if (json && typeof json === 'object' && 'lint-staged' in json) return { where: 'package.json', tasks: hasKeys(json['lint-staged']) };
  } catch {
    // init reports an invalid package.json itself; the hook runs no lint-staged then
  }
  return undefined;
}

function hasKeys(value: unknown): boolean {
  return Boolean(value && typeof value === 'object' && Object.keys(value).length > 0);
}
