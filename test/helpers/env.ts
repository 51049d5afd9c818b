import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

/**
 * An environment for child processes that is independent of the machine running the tests: its own
 * HOME (no global git config or hooks), a fixed identity, no colour, no CI or Jenkins variables.
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = tempDir('wxo-home-');
  mkdirSync(join(home, '.config'), { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GIT_|JENKINS|BUILD_|BRANCH_|CHANGE_|TAG_|CI$|HUSKY|WXO_|NO_COLOR|FORCE_COLOR)/.test(k)) continue;
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
