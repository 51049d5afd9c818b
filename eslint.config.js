// ESLint: the layering of src/ (see "Contributing" in README.md) and a few rules that catch bugs.
// Style is Prettier's business (`npm run format`), not ESLint's.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), 'src');

/** Folders of src/ that everything may build on: pure code over plain data (no git, no fs). */
const BELOW_BOTH = ['policy', 'kinds', 'resources', 'yaml', 'schema', 'secretValue'];
/** Use cases and the CLI: nothing below them may import them. */
const ABOVE = ['checks', 'deploy', 'hooks', 'merge', 'setup', 'ci', 'governance', 'cli'];
/** The imperative shell's own tools: files, git, snapshots of a repository. */
const SHELL = ['fs', 'git', 'snapshot'];
const IO_MODULES = ['fs', 'fs/promises', 'child_process', 'node:fs', 'node:fs/promises', 'node:child_process'];

/**
 * The layering as data: `from` (folders of src/, '' for its top-level files, '*' for all) must not
 * import `to` (folders, or files with their .ts name), except the files in `except`; `modules` are
 * package imports it must not use.
 */
const BOUNDARIES = [
  { from: ['checks'], to: ['deploy'], why: 'checks/ must not import deploy/: move what both need below both (resources/, yaml/)' },
  {
    from: ['deploy'],
    to: ['checks'],
    except: ['checks/tenantBinding.ts'],
    why: 'deploy/ imports checks/ only through checks/tenantBinding.ts: move what both need below both (resources/, yaml/)',
  },
  {
    from: ['*'],
    to: ['cli'],
    why: 'only cli/ imports cli/: use cases print through report/console.ts',
  },
  {
    from: BELOW_BOTH,
    to: [...ABOVE, ...SHELL, 'report'],
    why: 'policy/, kinds/, resources/, yaml/, schema/ and secretValue/ lie below everything: they import no use case and no I/O',
  },
  {
    from: BELOW_BOTH,
    to: [],
    modules: IO_MODULES,
    why: 'policy/, kinds/, resources/, yaml/, schema/ and secretValue/ are pure: the shell (snapshot/, git/) reads files and runs git',
  },
];

/** `src/checks/rules/x.ts` → { folder: 'checks', file: 'checks/rules/x.ts' }; undefined outside src/. */
function place(absolute) {
  const rel = relative(SRC, absolute);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return { folder: parts.length > 1 ? parts[0] : '', file: parts.join('/').replace(/\.js$/, '.ts') };
}

const layers = {
  rules: {
    boundaries: {
      meta: { type: 'problem', schema: [], docs: { description: 'the import boundaries between the folders of src/' } },
      create(context) {
        const from = place(context.filename);
        if (!from) return {};
        const check = (node) => {
          const spec = node.source?.type === 'Literal' ? node.source.value : undefined;
          if (typeof spec !== 'string') return;
          const to = spec.startsWith('.') ? place(resolve(dirname(context.filename), spec)) : undefined;
          for (const b of BOUNDARIES) {
            if (!b.from.includes(from.folder) && !b.from.includes('*')) continue;
            const hit = to
              ? to.folder !== from.folder && (b.to.includes(to.folder) || b.to.includes(to.file)) && !(b.except ?? []).includes(to.file)
              : (b.modules ?? []).includes(spec);
            if (hit) context.report({ node: node.source, message: `${spec}: ${b.why}` });
          }
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/**/generated/', 'bench/gen/', 'test/fixtures/'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: dirname(fileURLToPath(import.meta.url)) } },
    plugins: { layers },
    rules: {
      'layers/boundaries': 'error',
      // Bugs: a promise nobody awaits loses its error and its exit code.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      // Line breaks are Prettier's; it breaks `f()\n['key']` inside an expression, where no ASI applies (eslint-config-prettier turns this off too).
      'no-unexpected-multiline': 'off',
      // The compiler already checks these (noUnusedLocals, strict); the codebase types YAML as `any` on purpose.
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
      'no-regex-spaces': 'off',
    },
  },
);
