import { execFileSync } from 'node:child_process';
import { isolatedEnv } from './env.js';
import { createRepo, type TestRepo } from './repo.js';
import { tempDir } from './tmp.js';

/**
 * Checkouts made the way a Jenkins multibranch job makes them: a fresh workspace that fetches one
 * branch (narrow refspec), no tags, optionally shallow, and checks out a detached commit — or, for
 * pull requests with the "merge" strategy, a synthetic merge of the PR into its target. A later
 * build of the same job may reuse the workspace, with whatever refs the earlier build left there.
 */
export interface Origin {
  /** The developer's clone the history is built in. */
  dev: TestRepo;
  /** Path of the bare "server" repository. */
  bare: string;
  push(...refs: string[]): void;
}

export function createOrigin(branch = 'develop'): Origin {
  const bare = tempDir('wxo-origin-');
  execFileSync('git', ['init', '-q', '--bare', bare]);
  const dev = createRepo({ branch });
  dev.run('remote', 'add', 'origin', bare);
  return originOf(bare, dev);
}

/** The Origin of a bare repository and a developer's clone that has it as `origin` (e.g. copies of a template). */
export function originOf(bare: string, dev: TestRepo): Origin {
  return {
    dev,
    bare,
    push: (...refs) => {
      dev.run('push', '-q', '--force', 'origin', ...refs);
    },
  };
}

export interface JenkinsCheckout {
  ws: TestRepo;
  env: NodeJS.ProcessEnv;
}

function workspace(bare: string): TestRepo {
  const ws = createRepo({ env: isolatedEnv() });
  ws.run('remote', 'add', 'origin', `file://${bare}`);
  return ws;
}

const JENKINS = { JENKINS_URL: 'https://jenkins.example.test/', BUILD_ID: '42', JOB_NAME: 'wxo/agents', CI: 'true' };

/** A branch build: only that branch fetched, no tags, detached HEAD. */
export function branchBuild(origin: Origin, branch: string, options: { depth?: number } = {}): JenkinsCheckout {
  const ws = workspace(origin.bare);
  ws.run(
    'fetch',
    '-q',
    '--no-tags',
    ...(options.depth ? [`--depth=${options.depth}`] : []),
    'origin',
    `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
  );
  ws.run('checkout', '-q', '-f', ws.run('rev-parse', `refs/remotes/origin/${branch}`).trim());
  return { ws, env: { ...ws.env, ...JENKINS, BRANCH_NAME: branch } };
}

/**
 * A pull request build. `strategy: 'head'` checks out the PR head; 'merge' merges it into the
 * target first (Jenkins' default for GitHub). Only the PR ref is fetched into refs/remotes/origin/PR-n.
 */
export function prBuild(
  origin: Origin,
  source: string,
  target: string,
  options: { depth?: number; strategy?: 'head' | 'merge'; id?: number; reuse?: TestRepo } = {},
): JenkinsCheckout {
  const id = options.id ?? 7;
  // Jenkins keeps a job's workspace between builds: `reuse` is the one of an earlier build.
  const ws = options.reuse ?? workspace(origin.bare);
  const depth = options.depth ? [`--depth=${options.depth}`] : [];
  ws.run('fetch', '-q', '--no-tags', ...depth, 'origin', `+refs/heads/${source}:refs/remotes/origin/PR-${id}`);
  if (options.strategy === 'merge') {
    // The plugin fetches the target to build the merge, then leaves HEAD detached on the result.
    ws.run('fetch', '-q', '--no-tags', ...depth, 'origin', `+refs/heads/${target}:refs/remotes/origin/${target}`);
    ws.run('checkout', '-q', '-f', ws.run('rev-parse', `refs/remotes/origin/${target}`).trim());
    ws.run('merge', '-q', '--no-ff', '--no-edit', `refs/remotes/origin/PR-${id}`);
    // Jenkins does not keep the target's tracking ref around in a narrow clone.
    ws.run('update-ref', '-d', `refs/remotes/origin/${target}`);
  } else {
    ws.run('checkout', '-q', '-f', ws.run('rev-parse', `refs/remotes/origin/PR-${id}`).trim());
  }
  return {
    ws,
    env: {
      ...ws.env,
      ...JENKINS,
      BRANCH_NAME: `PR-${id}`,
      CHANGE_ID: String(id),
      CHANGE_BRANCH: source,
      CHANGE_TARGET: target,
      CHANGE_URL: `https://git.example.test/pr/${id}`,
    },
  };
}

/** A tag build: the tag's commit checked out, the tag itself not fetched (multibranch fetches no tags). */
export function tagBuild(origin: Origin, tag: string): JenkinsCheckout {
  const ws = workspace(origin.bare);
  ws.run('fetch', '-q', '--no-tags', '--depth=1', 'origin', `+refs/tags/${tag}:refs/remotes/origin/tag-${tag}`);
  ws.run('checkout', '-q', '-f', ws.run('rev-parse', `refs/remotes/origin/tag-${tag}^{commit}`).trim());
  ws.run('update-ref', '-d', `refs/remotes/origin/tag-${tag}`);
  return { ws, env: { ...ws.env, ...JENKINS, BRANCH_NAME: tag, TAG_NAME: tag } };
}
