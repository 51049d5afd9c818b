import { EnvError } from '../errors.js';
import { git } from '../git/git.js';
import { isShallow, remoteNames } from '../git/queries.js';
import { messages } from '../messages.js';
import { classifyTag, tagFor } from '../policy/environments.js';
import type { Environment, Policy } from '../policy/model.js';

/**
 * Deploy tags: the record of what each environment runs. `v1.2.3-qa` for the first deploy of a
 * version, `.2`, `.3` … for redeploys; tags are annotated, never moved, and carry the deploy
 * record as their message. The last tag of an environment reachable from a commit is the base
 * of the next plan.
 */
export interface DeployTag {
  name: string;
  /** The tagged commit. */
  commit: string;
  version: string;
  redeploy: number;
  /** Unix seconds (tagger date of annotated tags). */
  time: number;
  date: string;
}

/** Deploy tags of one environment, newest first; only those merged into `mergedInto` when given. */
export function deployTags(root: string, policy: Policy, env: Environment, mergedInto?: string): DeployTag[] {
  const args = [
    'for-each-ref',
    '--format=%(refname:short)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(creatordate:iso-strict)',
  ];
  if (mergedInto) args.push(`--merged=${mergedInto}`);
  args.push('refs/tags');
  const out: DeployTag[] = [];
  for (const line of git(root, args).stdout.split('\n')) {
    if (!line) continue;
    const [name, oid, peeled, time, date] = line.split('\0') as [string, string, string, string, string];
    const info = classifyTag(name, policy);
    if (!info || info.env.name !== env.name) continue;
    out.push({ name, commit: peeled || oid, version: info.version, redeploy: info.redeploy, time: Number(time), date });
  }
  return out.sort(newestFirst);
}

function newestFirst(a: DeployTag, b: DeployTag): number {
  // Tags made within the same second are told apart by version, then redeploy number.
  return b.time - a.time || compareVersions(b.version, a.version) || b.redeploy - a.redeploy;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

export function lastDeployTag(root: string, policy: Policy, env: Environment, reachableFrom: string): DeployTag | undefined {
  return deployTags(root, policy, env, reachableFrom)[0];
}

/** The tag the next deploy of `version` gets: the first free name of v1.2.3-qa, .2, .3 … */
export function nextTagName(root: string, policy: Policy, env: Environment, version: string): string {
  const taken = new Set(
    deployTags(root, policy, env)
      .filter((t) => t.version === version)
      .map((t) => t.redeploy),
  );
  let n = 1;
  while (taken.has(n) || tagExists(root, tagFor(env, version, n))) n++;
  return tagFor(env, version, n);
}

function tagExists(root: string, name: string): boolean {
  return git(root, ['rev-parse', '-q', '--verify', `refs/tags/${name}`], { allowFailure: true }).status === 0;
}

/**
 * Creates an annotated tag; false when the name is taken meanwhile (a concurrent deploy in another
 * clone). CI agents often have no git identity: a neutral one is supplied then.
 */
export function createTag(root: string, name: string, commit: string, message: string, env: NodeJS.ProcessEnv): boolean {
  const identity = git(root, ['var', 'GIT_COMMITTER_IDENT'], { allowFailure: true, env }).status === 0;
  const tagEnv = identity ? env : { ...env, GIT_COMMITTER_NAME: 'wxo-policy', GIT_COMMITTER_EMAIL: 'wxo-policy@localhost' };
  const r = git(root, ['tag', '-a', '--cleanup=verbatim', '-F', '-', name, commit], { input: message, allowFailure: true, env: tagEnv });
  if (r.status === 0) return true;
  if (tagExists(root, name)) return false;
  throw new EnvError(messages.deploy.tagFailed(name, r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`));
}

export function pushTag(root: string, remote: string, name: string, env: NodeJS.ProcessEnv): { ok: boolean; detail: string } {
  const r = git(root, ['push', '--no-verify', '--', remote, `refs/tags/${name}:refs/tags/${name}`], { allowFailure: true, env });
  return { ok: r.status === 0, detail: r.stderr.trim().split('\n').pop() ?? '' };
}

/** The refspec that fetches one environment's deploy tags: `refs/tags/v*-qa:refs/tags/v*-qa`. */
function tagRefspec(env: Environment): string {
  const glob = `refs/tags/${env.tag.replace('{version}', '*')}`;
  return `${glob}:${glob}`; // no '+': a deploy tag is never moved, not even locally
}

/**
 * CI clones lack tags and are often shallow: fetch the environment's tags (and enough history to
 * see which of them are reachable). Fails loudly — a plan without its base would redeploy
 * everything and miss every removal.
 */
export function fetchEnvironmentTags(root: string, env: Environment, remote: string, log: (note: string) => void): void {
  if (!remoteNames(root).includes(remote)) {
    log(messages.deploy.noRemoteForTags(remote));
    return;
  }
  if (isShallow(root)) {
    log(messages.deploy.unshallowing(remote));
    git(root, ['fetch', '--quiet', '--no-tags', '--unshallow', '--', remote], { allowFailure: true });
  }
  const spec = tagRefspec(env);
  const r = git(root, ['fetch', '--quiet', '--no-tags', '--', remote, spec], { allowFailure: true });
  if (r.status !== 0)
    throw new EnvError(
      messages.deploy.tagFetchFailed(env.name, remote, r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`),
      messages.deploy.tagFetchHint(spec),
    );
  log(messages.deploy.fetchedTags(env.name, remote));
}
