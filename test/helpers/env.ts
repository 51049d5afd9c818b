import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './tmp.js';

/**
 * An environment for child processes that is independent of the machine running the tests: its own
 * HOME (no global git config or hooks), a fixed identity, no colour, no CI or Jenkins variables.
 *
 * Nor the machine's NODE_EXTRA_CA_CERTS: with it set, every node process parses the whole CA
 * bundle as it starts (40 of the 65 ms CPU of a bare `node -e 0` here), and the tests start
 * thousands of them — the CLI, the hooks git fires, each call of the stand-in — for no TLS at all
 * (every server of a test is plain HTTP on 127.0.0.1). What may reach a real registry (npm) gets
 * it back: npmNetworkEnv().
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = tempDir('wxo-home-');
  mkdirSync(join(home, '.config'), { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GIT_|JENKINS|BUILD_|BRANCH_|CHANGE_|TAG_|CI$|HUSKY|WXO_|NO_COLOR|FORCE_COLOR|NODE_EXTRA_CA_CERTS$)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.test',
    NO_COLOR: '1',
    ...extra,
  };
}

/** What npm needs of the machine's environment to reach a registry over TLS, which isolatedEnv leaves out. */
export function npmNetworkEnv(): NodeJS.ProcessEnv {
  return { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS };
}

/**
 * Records every module the node processes started with `env` load (a module-resolution hook
 * given to node through NODE_OPTIONS, inherited by hooks and the merge driver that git starts):
 * for assertions that a fast path does not load what it must not need.
 */
export interface ModuleLog {
  env: NodeJS.ProcessEnv;
  loaded(): string[];
  clear(): void;
}

export function moduleLog(): ModuleLog {
  const dir = tempDir('wxo-modules-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');\n  return result;\n}\n`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
  writeFileSync(log, '');
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'register.mjs')).href}` },
    loaded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    clear: () => writeFileSync(log, ''),
  };
}
