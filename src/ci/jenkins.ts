/**
 * Jenkins multibranch builds, from the variables branch-api and the git plugin set. HEAD is
 * detached there, so the branch always comes from these variables, never from HEAD.
 */
export type JenkinsBuild =
  | { kind: 'branch'; branch: string }
  | { kind: 'pr'; id: string; source: string; target: string; label: string }
  | { kind: 'tag'; tag: string };

export function isJenkins(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.JENKINS_URL || env.JENKINS_HOME || (env.BUILD_ID && env.BRANCH_NAME && env.JOB_NAME));
}

/** Undefined when the variables say nothing usable (the caller reports what is missing). */
export function readJenkinsBuild(env: NodeJS.ProcessEnv): JenkinsBuild | { error: string } {
  if (env.TAG_NAME) return { kind: 'tag', tag: env.TAG_NAME };
  const isPr = Boolean(env.CHANGE_ID) || /^PR-\d+$/.test(env.BRANCH_NAME ?? '');
  if (isPr) {
    if (!env.CHANGE_TARGET) return { error: 'pull request build without CHANGE_TARGET' };
    if (!env.CHANGE_BRANCH) return { error: 'pull request build without CHANGE_BRANCH' };
    return {
      kind: 'pr',
      id: env.CHANGE_ID ?? env.BRANCH_NAME!.slice(3),
      source: env.CHANGE_BRANCH,
      target: env.CHANGE_TARGET,
      label: env.BRANCH_NAME ?? `PR-${env.CHANGE_ID}`,
    };
  }
  if (env.BRANCH_NAME) return { kind: 'branch', branch: env.BRANCH_NAME };
  return { error: 'BRANCH_NAME, CHANGE_TARGET and TAG_NAME are all unset' };
}
