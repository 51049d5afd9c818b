import { positionFinder } from '../yaml/textPosition.js';
import { messages } from '../messages.js';
import { jsonSyntaxError } from '../yaml/locateJson.js';

/**
 * What `init` writes, as pure functions from a file's current text (or undefined) to its new
 * text. Each merges into what the user has — it never drops a user's line or key — and returns
 * the text unchanged when there is nothing to add, which is what makes `init` idempotent.
 */

export const MERGE_DRIVER = 'wxo-tenant';

/** `.gitattributes`: bind every tenant-scoped glob to the merge driver. */
export function mergeGitattributes(current: string | undefined, tenantScoped: readonly string[]): string {
  const lines = (current ?? '').split('\n');
  const bound = new Set(
    lines
      .map((l) => l.trim().split(/\s+/))
      .filter((parts) => parts.includes(`merge=${MERGE_DRIVER}`))
      .map((parts) => parts[0]),
  );
  const missing = tenantScoped.filter((glob) => !bound.has(glob));
  if (missing.length === 0) return current ?? '';
  const header = '# wxo-policy: tenant-scoped files keep the target branch version on cross-tenant merges';
  const block = [...(lines.includes(header) ? [] : [header]), ...missing.map((g) => `${g} merge=${MERGE_DRIVER}`)];
  return appendLines(current, block);
}

const GITIGNORE_ENTRIES = [
  'node_modules/',
  '.env',
  '.env.*',
  '!.env.example',
  '*.rendered.yaml',
  '*.rendered.yml',
  '.rendered/',
  'reports/',
];

export function mergeGitignore(current: string | undefined): string {
  const present = new Set((current ?? '').split('\n').map((l) => l.trim()));
  const missing = GITIGNORE_ENTRIES.filter((e) => !present.has(e));
  if (missing.length === 0) return current ?? '';
  return appendLines(current, [...(present.has('# wxo-policy') ? [] : ['# wxo-policy']), ...missing]);
}

function appendLines(current: string | undefined, lines: string[]): string {
  const base = current ?? '';
  const sep = base === '' || base.endsWith('\n') ? '' : '\n';
  const gap = base.trim() === '' ? '' : '\n';
  return `${base}${sep}${gap}${lines.join('\n')}\n`;
}

const PREPARE = 'husky && wxo-policy install';

/**
 * package.json: devDependencies on wxo-policy, husky and lint-staged, and a `prepare` script so
 * that `npm install` in any clone installs hooks and registers the merge driver. Existing keys,
 * versions and scripts are kept.
 */
export function mergePackageJson(
  current: string | undefined,
  versions: { wxoPolicy: string; husky: string; lintStaged: string },
  name: string,
): { text: string; error?: string } {
  let pkg: Record<string, any>;
  if (current === undefined) {
    pkg = { name, private: true, description: 'watsonx Orchestrate GitOps repository' };
  } else {
    try {
      pkg = JSON.parse(current);
    } catch {
      // Not JSON.parse's message: it quotes the source around the error (a token beside a typo).
      const syntax = jsonSyntaxError(current) ?? { offset: 0, problem: 'not valid JSON' };
      const { line, column } = positionFinder(current)(syntax.offset);
      return { text: current, error: messages.packageJsonInvalid(line, column, syntax.problem) };
    }
    if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) return { text: current, error: 'package.json is not a JSON object' };
  }
  const before = JSON.stringify(pkg);
  pkg.scripts ??= {};
  const prepare: string | undefined = pkg.scripts.prepare;
  if (!prepare) pkg.scripts.prepare = PREPARE;
  else if (!prepare.includes('wxo-policy install'))
    pkg.scripts.prepare = prepare.includes('husky') ? `${prepare} && wxo-policy install` : `${prepare} && ${PREPARE}`;
  pkg.devDependencies ??= {};
  const deps = { ...(pkg.dependencies ?? {}), ...pkg.devDependencies };
  if (!deps['wxo-policy']) pkg.devDependencies['wxo-policy'] = versions.wxoPolicy;
  if (!deps.husky) pkg.devDependencies.husky = versions.husky;
  if (!deps['lint-staged']) pkg.devDependencies['lint-staged'] = versions.lintStaged;
  if (current !== undefined && JSON.stringify(pkg) === before) return { text: current };
  const indent = current ? (/^(\s+)"/m.exec(current)?.[1] ?? '  ') : '  ';
  return { text: `${JSON.stringify(pkg, null, indent)}\n` };
}

/** The user's own linters go here; wxo-policy's checks run before lint-staged, on the index. */
export const LINT_STAGED_CONFIG = `# lint-staged: your own formatters and linters for staged files.
# wxo-policy's checks do not run through lint-staged: the pre-commit hook runs them first, directly
# on the index, then lint-staged with the tasks below (none yet). Examples:
#   "*.py": "ruff format"
#   "*.{yaml,yml,md}": "prettier --write"
`;

export const LINT_STAGED_FILES = [
  '.lintstagedrc',
  '.lintstagedrc.json',
  '.lintstagedrc.yaml',
  '.lintstagedrc.yml',
  '.lintstagedrc.mjs',
  '.lintstagedrc.cjs',
  '.lintstagedrc.js',
  'lint-staged.config.js',
  'lint-staged.config.mjs',
  'lint-staged.config.cjs',
];

/** Shell-quotes one word for a git config value that git runs through `sh`. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The launcher `install` writes into the git dir: the absolute node and CLI of this clone, so the
 * hooks and the merge driver need neither npx, nor network, nor node on PATH.
 *
 * node parses the whole NODE_EXTRA_CA_CERTS bundle while it starts (~35 ms for a system bundle, on
 * every commit), though only a TLS connection needs it. pre-commit and pre-push make none (only
 * post-merge and post-commit may deploy and notify), so for them the launcher hands the variable
 * over under CA_HANDOVER, and the CLI puts it back before it starts any program (bin/wxo-policy.js).
 */
export function launcherScript(nodePath: string, cliPath: string): string {
  return `#!/bin/sh
# Written by \`wxo-policy install\`: runs this clone's wxo-policy with the node that installed it,
# so hooks and the merge driver work without npx, network, or node on PATH (GUI git clients).
n=${shellQuote(nodePath)}
[ -x "$n" ] || n=node
# These hooks make no TLS connection: node need not parse the extra CA bundle (the CLI restores it).
case "$1 $2" in "hook pre-commit" | "hook pre-push")
  if [ -n "\${NODE_EXTRA_CA_CERTS-}" ]; then
    ${CA_HANDOVER}=$NODE_EXTRA_CA_CERTS
    export ${CA_HANDOVER}
    unset NODE_EXTRA_CA_CERTS
  fi ;;
esac
exec "$n" ${shellQuote(cliPath)} "$@"
`;
}

/** Where the launcher puts NODE_EXTRA_CA_CERTS for a hook that makes no TLS connection (see launcherScript). */
export const CA_HANDOVER = 'WXO_POLICY_NODE_EXTRA_CA_CERTS';

export function driverCommand(launcher: string): string {
  return `${shellQuote(launcher)} merge-driver %O %A %B %L %P %X %Y`;
}
