/**
 * Every sentence the CLI prints about itself (errors, hints, hook explanations) lives here, so
 * wording and fix hints stay consistent. Findings carry their own message; their fix hints are
 * the `hints` below, keyed by rule id.
 */
import { FINDING_RULES, type FindingRule } from './policy/rules.js';

/** Each rule's fix hint, from the rule registry (src/policy/rules.ts), where a rule's sentences live. */
export const hints = Object.fromEntries(FINDING_RULES.map((r) => [r.id, r.hint])) as Record<FindingRule, string>;

export const messages = {
  policyHint: 'See "The policy file" in the wxo-policy README; `wxo-policy init` writes a complete example.',
  policyInvalid: (origin: string, problems: string[]) => `${origin} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  policyUnreadable: (path: string, reason: string) => `cannot read ${path}: ${reason}`,
  policyDefaultUsed: 'no wxo-policy.yaml found: using the built-in default policy (`wxo-policy init` writes one).',
  notARepo: (dir: string) => `${dir} is not inside a git repository`,
  notARepoHint: 'Run the command inside a clone, or pass -C <dir>.',
  gitMissing: 'git was not found on PATH',
  gitFailed: (args: string, detail: string) => `git ${args} failed: ${detail}`,
  unknownCommand: (name: string, suggestion?: string) => `unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
  usageHint: 'Run `wxo-policy --help` for the list of commands.',
  usageOf: (usage: string) => `usage: ${usage}`,
  formatNotKnown: (format: string) => `unknown format "${format}"`,
  formatsHint: (formats: readonly string[]) => `formats: ${formats.join(', ')}`,
  nothingToCheck: 'nothing to check: give --all, --staged, --range, --since or paths',
  rollbackNeedsTo: 'rollback needs --to <deploy tag>',
  internalError: (detail: string) => `internal error: ${detail}`,
  internalErrorHint: 'This is a bug in wxo-policy; set WXO_POLICY_DEBUG=1 for the stack trace and report it.',
  noFilesMatched: 'no files to check',
  credentialAliasOrTag: (key: string, form: 'alias' | 'tag', masked: string) =>
    `credential-named key "${key}" holds a YAML ${form} ${masked} where a \${NAME} placeholder belongs (YAML reads it as ${form === 'alias' ? 'an alias' : 'a tag'}, not a value)`,
  packageJsonInvalid: (line: number, column: number, problem: string) =>
    `package.json is not valid JSON (${problem} at line ${line} column ${column}); fix it and run init again`,
  suppressionPlainHash: (entry: string, rule: string, keyed: string) =>
    `suppression ${entry} (${rule}) is a plain SHA-256 of the value, which a word list can reverse: replace its hash with ${keyed} (keyed with secrets.hash_key)`,
  secretInCommitMessage: (what: string) => `commit message holds ${what} (the message is pushed with the commit: reword it before pushing)`,
  reportUnwritable: (path: string, reason: string) => `cannot write the report to ${path}: ${reason}`,
  cacheDirInRepo: (dir: string) => `--cache-dir ${dir} is inside the repository's work tree`,
  cacheDirInRepoHint:
    'Keep the result cache outside the checkout (a pull request could commit files there): in Jenkins, a persistent directory per job, e.g. --cache-dir "/var/cache/wxo-policy/${JOB_NAME%%/*}".',
  resultCacheUsed: (cached: number, files: number, dir: string) =>
    `result cache: ${cached} of ${files} file(s) unchanged since an earlier run (${dir})`,
  pathNotFound: (path: string) => `${path}: no such file`,
  pathOutside: (path: string, root: string, inRepo: boolean) =>
    inRepo
      ? `${path} is outside the repository ${root}`
      : `${path} is outside the current directory ${root} (outside a git repository, paths are taken below it)`,
  directoryOutsideRepo: (path: string) => `${path} is a directory; outside a git repository give files`,
  fileTooLarge: (bytes: number, limit: number, scanned: boolean) =>
    `file is ${bytes} bytes, over the ${limit}-byte scan limit (secrets.max_file_bytes): ${scanned ? 'not parsed; scanned for secrets as text, in chunks' : 'binary, not scanned'}`,
  fileUnreadable: (reason: string) => `cannot read the file: ${reason}`,
  optionValueLooksLikeOption: (name: string, value: string) =>
    `--${name} "${value}" starts with "-": git would read it as an option, so it is refused`,
  invalidUtf8: 'not valid UTF-8 here: the deploy would send U+FFFD (�) in its place; save the file as UTF-8',
  patternRefused: (risk: string) =>
    `refused: ${risk}; patterns run on every branch, tag and path, and must not be able to hang a hook or CI`,
  stagedPolicyNotApplied:
    'wxo-policy.yaml is staged: this commit is judged by the policy of HEAD (the committed one) and by the staged one — a change of the policy cannot let it pass',
  invalidJson: (problem: string) => `invalid JSON: ${problem}`,
  nestedTooDeep: (limit: number) => `nested more than ${limit} levels deep: not read (the ADK cannot read it either)`,
  fileNotChecked: (reason: string) => `could not be checked (${reason}); the other files were`,
  binaryWhereYaml: 'binary content where YAML/JSON is expected (the ADK reads UTF-8 text)',
  severalDocuments: (count: number) => `${count} YAML documents in one file: the ADK reads exactly one`,
  topLevelNotMapping: (found: string) => `the top level must be a mapping (found ${found})`,
  credentialLiteral: (key: string, masked: string) =>
    `credential-named key "${key}" holds a literal value ${masked}; use a \${NAME} placeholder`,
  serverMergeUnsupported: (source: string, target: string, version: string) =>
    `cannot tell what a server-side merge of ${source} into ${target} would do with the tenant files: that needs \`git merge-tree --write-tree\`, git 2.38 or later (this is ${version})`,
  serverMergeFailed: (source: string, target: string, detail: string) =>
    `cannot compute a server-side merge of ${source} into ${target}: ${detail || 'git merge-tree failed'}`,
  serverMergeHint:
    'A cross-tenant pull request is never passed unchecked: install git 2.38 or later on the agent (or check the merge locally with `wxo-policy promote`).',
  // hooks
  bypass: (command: string) =>
    `Emergency only: \`${command} --no-verify\` skips this hook — CI runs the same checks and will still refuse it.`,
  commitRefused: 'commit refused by wxo-policy: fix the findings above and commit again (your staged and unstaged changes are untouched).',
  pushRefused: 'push refused by wxo-policy: fix the findings above and push again.',
  protectedBranch: (branch: string, env: string) =>
    `direct commits to ${branch} (environment ${env}) are not allowed: changes reach environment branches by merge (promotion) or revert.`,
  protectedBranchHint: (branch: string, via?: { glob: string } | { environments: string[] }) =>
    via && 'environments' in via
      ? `Changes reach ${branch} by promotion from ${via.environments.join(' or ')} (\`wxo-policy promote\` there), or by a revert. Move your staged work to a branch of its own: \`git switch -c feature/<name>\` (the staged changes come along).`
      : `Move your staged work to a branch and open a pull request: \`git switch -c ${(via?.glob ?? 'feature/*').replace(/\*+$/, '<name>')}\` then \`git commit\` (the staged changes come along). Merges into ${branch} are allowed.`,
  protectedMerge: (branch: string, env: string) =>
    `merge commits on ${branch} (environment ${env}) are not allowed by this policy (hooks.allow_merge_commits: false): changes reach it through pull requests merged on the server.`,
  protectedMergeHint: 'Undo this merge with `git merge --abort`, push your branch and open a pull request instead.',
  unknownHook: (name: string, known: readonly string[]) => `unknown hook "${name}" (known: ${known.join(', ')})`,
  prePushInput: (line: string) => `unexpected pre-push input line: "${line}"`,
  lintStagedFailed: 'lint-staged reported problems (your own linters, configured in the lint-staged configuration).',
  hookNotInstalled: 'wxo-policy is not installed in this clone: run npm install (its prepare script runs wxo-policy install)',
  // CI checkouts (ensureRefs)
  // checks/scope.ts: what a check judges, as the CLI and CI logs say it
  scope: {
    oneScope: 'give one of --all, --staged, --range, --since or paths',
    detachedNoBranch: 'detached HEAD and no --branch: branch rules skipped',
    noSuchTarget: (target: string) => `--target ${target}: no such branch or revision`,
    targetPolicyApplies: (target: string) => `target ${target}: its policy applies`,
    unknownRevision: (rev: string) => `unknown revision "${rev}"`,
    rangeNote: (from: string, to: string, base: string, head: string) => `range ${from}..${to} (${base}..${head})`,
    rangeLabel: (from: string, to: string) => `range ${from}..${to}`,
    noCommitYet: 'no commit yet: checking the index',
    allAtHead: 'all files at HEAD',
    allInIndex: 'all files in the index',
    pathsLabel: (count: number) => `${count} path(s) in the working tree`,
    ciMode: (problem: string) => `CI mode: ${problem}`,
    ciModeHint:
      'Run the check in a Jenkins multibranch pipeline (it sets BRANCH_NAME, and CHANGE_BRANCH/CHANGE_TARGET for pull requests, TAG_NAME for tags), or pass --branch / --target explicitly.',
    headNotACommit: 'HEAD is not a commit (empty checkout?)',
    jenkinsPr: (label: string, source: string, target: string, range: string, synthetic: boolean, policy: string) =>
      `Jenkins pull request ${label}: ${source} → ${target}; range ${range}${synthetic ? ' (HEAD is the synthetic merge commit)' : ''}; ${policy}`,
    policyFrom: (ref: string) => `policy from ${ref}`,
    prLabel: (label: string, source: string, target: string) => `pull request ${label} (${source} → ${target})`,
    jenkinsTag: (tag: string, commit: string) => `Jenkins tag build ${tag} at ${commit}`,
    tagLabel: (tag: string) => `tag ${tag}`,
    jenkinsBranchRange: (branch: string, range: string) => `Jenkins branch build ${branch}; range ${range}`,
    branchSinceLabel: (branch: string, from: string) => `branch ${branch} since ${from}`,
    jenkinsBranchAll: (branch: string, head: string) => `Jenkins branch build ${branch}: all files at ${head}`,
    branchLabel: (branch: string) => `branch ${branch}`,
    badRange: (range: string) => `--range needs A..B, not "${range}"`,
  },
  ci: {
    fetchingMissing: (branch: string, remote: string) => `fetching ${branch} from ${remote} (not in this clone)`,
    fetchingAgain: (branch: string, remote: string) =>
      `fetching ${branch} from ${remote} (the copy in this workspace may be from an earlier build)`,
    fetchFailedUsingLocal: (branch: string, remote: string, detail: string) =>
      `cannot fetch ${branch} from ${remote} (${detail}): judging against this workspace's refs/remotes/${remote}/${branch}, which may be stale`,
    cannotFetch: (branch: string, remote: string, detail: string) => `cannot fetch branch ${branch} from ${remote}: ${detail}`,
    cannotFetchHint: (branch: string, remote: string) =>
      `The check needs ${branch} to compare against. In the Jenkins job, let the checkout fetch it (e.g. a refspec "+refs/heads/*:refs/remotes/${remote}/*") or give the agent credentials for \`git fetch ${remote}\`.`,
    deepening: (depth: number, a: string, b: string) =>
      `shallow clone: deepening by ${depth} commits to find the merge base of ${a} and ${b}`,
    unshallowing: 'still no merge base: fetching the full history',
    noMergeBase: (a: string, b: string) => `no merge base between ${a} and ${b}: the range of this change cannot be established`,
    noMergeBaseHint:
      'Check that the pull request targets a branch with common history, and that the Jenkins checkout is not limited to a depth that hides it (clone option "shallow" with a larger depth, or off).',
    fetchingCommit: (rev: string, remote: string) => `fetching ${rev} from ${remote}`,
    commitMissing: (rev: string, remote: string) => `commit ${rev} is not available and cannot be fetched from ${remote}`,
    commitMissingHint: 'Fetch the history the check needs, or give a revision that exists in this clone.',
  },
  // merge guards (pre-merge-commit, post-merge, post-commit)
  guards: {
    crossesTenants: (source: string, target: string, from: string, to: string) =>
      `${source} → ${target} crosses tenants (${from} → ${to}).`,
    tookSource: (source: string, files: string[]) =>
      `git took ${source}'s ${files.join(', ')} without calling the merge driver (only ${source} had changed ${files.length === 1 ? 'it' : 'them'}),`,
    putBack: (target: string, n: number) =>
      `so wxo-policy put ${target}'s version${n === 1 ? '' : 's'} back in the index and the work tree.`,
    finishWith: (command: string) =>
      `The merge is staged and not committed yet. Finish it with: ${command}   (inspect first: git diff --cached)`,
    fastForwarded: (target: string, source: string, from: string, to: string) =>
      `${target} was fast-forwarded to ${source}, across tenants (${from} → ${to}): that would put ${source}'s tenant files on ${target}.`,
    undone: (target: string, commit: string) => `wxo-policy undid it: ${target} is back at ${commit}.`,
    undoIt: (command: string) => `Undo it: ${command}`,
    promoteInstead: (command: string, source: string, target: string) =>
      `Promote instead with: ${command} (run on ${source}; it merges with --no-ff and keeps ${target}'s tenant files)`,
    kept: (target: string, files: string[], source: string) =>
      `wxo-policy: this merge kept ${target}'s ${files.join(', ')} (from ${source}: cross-tenant)`,
    noPlan: (detail: string) => `wxo-policy: no deploy plan: ${detail}`,
    wrongTenantMerge: 'this merge commit carries tenant files of another tenant. Fix it before pushing (pre-push will refuse it):',
  },
  // doctor: git
  doctor: {
    /** What each verdict is about: the first column of `doctor`'s lines. */
    checks: {
      gitVersion: 'git version',
      gitDriverSemantics: 'git merge-driver semantics',
      gitConflictLabels: 'git conflict labels',
      gitMergeTree: 'git merge-tree',
      policy: 'policy',
      secrets: 'secrets',
      hooks: 'hooks',
      hooksActive: 'hooks active',
      mergeDriver: 'merge driver',
      attributes: 'attributes',
      nodeForGuiClients: 'node for GUI clients',
      orchestrateCli: 'orchestrate CLI',
      ci: 'CI',
      ciCheckout: 'CI checkout',
      tenants: 'tenants',
      install: 'install',
    },
    noHashKey: 'no secrets.hash_key: the hashes shown with findings are plain SHA-256, which a word list reverses for weak passwords',
    noHashKeyFix:
      'add `hash_key: <64 hex digits>` under secrets: in wxo-policy.yaml (e.g. from `openssl rand -hex 32`), commit it, then replace each suppression hash with the one check shows (see "Security" in the README)',
    gitTooOld: (version: string) => `git ${version} is older than 2.31`,
    gitTooOldFix: 'install git 2.31 or newer',
    gitVersion: (version: string) => `git ${version}`,
    driverSignal: (atLeast242: boolean, version: string) =>
      atLeast242
        ? 'a driver killed by a signal aborts the merge (git ≥ 2.42)'
        : `a driver killed by a signal counts as a conflict on git ${version} (aborts from 2.42); wxo-policy's driver never dies by signal`,
    labels: (atLeast244: boolean, version: string) =>
      atLeast244
        ? '%X/%Y give the driver the branch names (git ≥ 2.44)'
        : `git ${version} passes %X/%Y literally (labels need 2.44); the driver reads GITHEAD_*/GIT_REFLOG_ACTION instead`,
    mergeTree: 'pull-request checks can simulate the server-side merge (`git merge-tree --write-tree`, git ≥ 2.38)',
    mergeTreeMissing: (version: string, ci: boolean) =>
      `git ${version} has no \`git merge-tree --write-tree\` (git ≥ 2.38): pull-request checks cannot simulate the server-side merge, so a web-UI merge that would leak tenant files goes unnoticed${ci ? '' : ' (this matters on the CI agents that run them)'}`,
    mergeTreeFix: 'install git 2.38 or newer on the CI agents that run `wxo-policy check` on pull requests',
    hooksActive: (hooksPath: string, dir: string, worktrees: number) =>
      `core.hooksPath ${hooksPath}: git runs the ${dir}/ hooks of ${worktrees === 1 ? 'this worktree' : `each of the ${worktrees} worktrees`}, new ones included`,
    hooksInactive: (dir: string, hooksPath: string) =>
      `git does not run the ${dir}/ hooks (core.hooksPath is ${hooksPath ? `"${hooksPath}"` : 'not set'})`,
    tenantsAgree: (refs: string[]) => `the policy's tenants agree with the tenant.yaml of ${refs.join(', ')}`,
    tenantDisagrees: (ref: string, env: string, tenant: string, problems: string[]) =>
      `${ref}:tenant.yaml disagrees with the policy's tenant of ${env} (${tenant}): ${problems.join('; ')}`,
    tenantDisagreesFix: (ref: string, tenant: string) =>
      `make tenant ${tenant} in wxo-policy.yaml and ${ref}'s tenant.yaml say the same (correct whichever is wrong; a branch is fixed by a commit on a branch merged into it)`,
    tenantPlaceholder: (tenant: string, envs: string[]) =>
      `tenant ${tenant} (environment${envs.length === 1 ? '' : 's'} ${envs.join(', ')}) still has the default placeholder URL`,
    tenantPlaceholderFix:
      "write your tenant's name, orchestrate url, env_name and api_key_secret into wxo-policy.yaml (and the branch's tenant.yaml)",
    tenantFileUnreadable: 'tenant.yaml is not valid YAML',
    installFix: 'run `npm install` in this clone (its prepare script runs `wxo-policy install`)',
    initFix: 'run `wxo-policy init`',
    policyFix: (file: string) => `fix ${file}`,
    noPolicy: (file: string) => `no ${file}: the built-in default applies`,
    policyValid: (file: string, environments: number, tenants: number) =>
      `${file} is valid (${environments} environments, ${tenants} tenants)`,
    policyProblem: (origin: string, problem: string) => `${origin}: ${problem}`,
    huskyOff: 'HUSKY=0 is set: git hooks are skipped in this shell',
    noHooksDir: (dir: string) => `no ${dir}/ directory`,
    hooksNotCalling: (hooks: string[]) => `${hooks.join(', ')} do not call wxo-policy`,
    driverMissing: (driver: string) => `merge.${driver}.driver is not in this clone's git config: git silently falls back to a text merge`,
    driverForeign: (driver: string, command: string) => `merge.${driver}.driver is "${command}", not wxo-policy's launcher`,
    launcherMissing: (launcher: string) => `the launcher ${launcher} is missing or not executable`,
    driverRegistered: (launcher: string) => `registered (${launcher})`,
    attributeBound: (path: string, driver: string) => `${path} merge=${driver}`,
    attributeUnbound: (path: string, value: string | undefined) => `${path} is not bound to the driver (merge: ${value ?? 'unspecified'})`,
    attributeFix: 'run `wxo-policy init` (adds the .gitattributes entries) and commit .gitattributes',
    nodeAbsolute: (node: string) => `hooks run ${node} (absolute path, no PATH needed)`,
    nodeFromHuskyInit: (init: string) => `husky's ${init} sets up PATH`,
    nodeOnPathOnly: 'hooks find node only on PATH; GUI git clients often start without it',
    nodeFix: (installFix: string, init: string) => `${installFix}, or put PATH setup in ${init}`,
    orchestrateMissing: (binary: string) => `"${binary}" not found: plan works, deploy will not`,
    orchestrateFix: 'pip install ibm-watsonx-orchestrate==<the pinned version> (deploy agents only)',
    ciFix: 'use a multibranch pipeline, or pass --branch/--target to check',
    jenkinsBuild: (kind: string, what: string) => `Jenkins ${kind} build (${what})`,
    detachedHead: 'detached HEAD: the branch is read from the Jenkins variables',
    shallowClone: 'shallow clone: check deepens it until a merge base exists',
    noTags: 'no tags in this clone: plan/deploy fetch the deploy tags they need',
    packageSpecFix: (fix: string) => `run \`wxo-policy init --package-spec SPEC\`; ${fix}`,
  },
  // install
  install: {
    wroteLauncher: (path: string) => `wrote the launcher ${path}`,
    registered: (key: string) => `registered ${key}`,
    huskyOff: 'HUSKY=0: git hooks not installed',
    ciSkipped: 'CI: git hooks not installed (the pipeline runs `wxo-policy check` itself)',
    noHuskyDir: (dir: string) => `no ${dir}/ directory: run \`wxo-policy init\` to create the hooks`,
    huskyFailed: (problem: string) => `cannot activate the hooks: ${problem}`,
    activated: (dir: string, hooksPath: string) => `activated the ${dir}/ hooks in every worktree (core.hooksPath ${hooksPath})`,
    /** --verbose, when this run changed nothing: what is in place, and what was left alone. */
    unchanged: (hooks: 'active' | 'skipped' | 'missing' | 'failed') =>
      `wxo-policy: merge driver already registered; ${{ active: 'hooks already active', skipped: 'git hooks left alone (see above)', missing: 'no hooks to activate (see above)', failed: 'hooks not activated (see above)' }[hooks]}`,
  },
  // promote
  promote: {
    refused: 'wxo-policy: promote refused:',
    detached: 'HEAD is detached: check out the environment branch to promote from',
    notAnEnvironment: (branch: string, branches: string[]) =>
      `${branch} is not an environment branch: promote runs on ${branches.join(', ')}`,
    needsVersion: (env: string, branch: string, file: string, version: string | undefined) =>
      `${env} needs a version and ${branch} has none (${file} ${version ? `holds "${version}"` : 'is missing'})`,
    needsVersionHint: (file: string) => `Write the release version into ${file} and commit it first.`,
    notAPath: (source: string, target: string, reason: string) => `${source} → ${target} is not a promotion path of the policy (${reason})`,
    allowedInto: (env: string, from: string[]) => `Allowed into ${env}: ${from.join(', ')}`,
    dirty: 'the working tree has uncommitted changes',
    dirtyHint: 'Commit or stash them first (git stash), then promote again.',
    trackedFrom: (branch: string, remote: string) => `${branch} set up from ${remote}/${branch}`,
    createdSameTenant: (branch: string, source: string, tenant: string) =>
      `created ${branch} from ${source} (same tenant ${tenant}): nothing to merge`,
    noTenantBase: (tenant: string, branch: string) => `no branch of tenant ${tenant} to start ${branch} from`,
    noTenantBaseHint: (tenant: string, branch: string) =>
      `Create ${branch} from a branch that holds ${tenant}'s tenant.yaml and values.yaml, then promote again.`,
    createdFrom: (branch: string, base: string, tenant: string) =>
      `created ${branch} from ${base} (it starts with ${tenant}'s tenant files)`,
    upToDate: (target: string, source: string) => `${target} already contains ${source}: nothing to promote`,
    mergeFailed: (detail: string) => `git merge failed: ${detail}`,
    conflicts: (source: string, target: string, files: string[]) => `merging ${source} into ${target} conflicts in ${files.join(', ')}`,
    conflictsHint: (target: string, restored: string[]) =>
      `You are on ${target} in the middle of the merge: resolve the files, \`git add\` them and \`git commit\` — or \`git merge --abort\` to go back.${restored.length ? ` ${target}'s ${restored.join(', ')} ${restored.length === 1 ? 'is' : 'are'} already back in place.` : ''}`,
    commitMessage: (
      source: string,
      target: string,
      from: string,
      to: string,
      crossing?: { fromTenant: string; toTenant: string; files: string[] },
    ) =>
      [
        `Merge branch '${source}' into ${target}`,
        '',
        `Promotion ${from} → ${to} (wxo-policy promote).`,
        ...(crossing
          ? [`Crosses tenants ${crossing.fromTenant} → ${crossing.toTenant}: ${target} keeps its own ${crossing.files.join(', ')}.`]
          : []),
      ].join('\n'),
    commitRefused: (detail: string) => `the merge commit was refused:\n${detail}`,
    commitRefusedHint: (target: string) =>
      `The merge is staged on ${target}: fix what the hooks reported and \`git commit\`, or \`git merge --abort\`.`,
    wrongTenantFiles: (branch: string, tenant: string) =>
      `wxo-policy: ${branch} does not carry ${tenant}'s tenant files; fix them before pushing.`,
    promoted: (branch: string, head: string, tenant: string) => `promoted into ${branch} (${head}); tenant binding verified (${tenant})`,
    resourcesTitle: 'Resources promoted:',
    pushFailed: 'wxo-policy: push failed:',
    pushed: (branch: string, remote: string) => `pushed ${branch} to ${remote}`,
    next: (command: string, branch: string) => `Next: ${command}  (or push a branch and open a pull request into ${branch})`,
    unknownEnvironment: (name: string, known: string[]) => `unknown environment "${name}" (environments: ${known.join(', ')})`,
    whereTo: (choices: string) => `from ${choices}, say where to`,
  },
  // deploy runner: plan, deploy, rollback, status
  deploy: {
    // values and resources
    valuesInvalid: (where: string, detail: string) => `values.yaml is not usable (${where}): ${detail}`,
    valueUnknown: (key: string) => `\${values.${key}} is not defined in values.yaml`,
    valueNotScalar: (key: string) => `\${values.${key}} is a mapping or list in values.yaml; only a single value can be substituted`,
    headProblems: (commit: string, problems: string[]) => `cannot plan commit ${commit}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    headProblemsHint: 'Fix these files (`wxo-policy check --all` shows every problem with its fix) and commit again.',
    baseProblem: (base: string, problem: string) => `base ${base}: ${problem} (its resources are planned as changed)`,
    documentMissing: (file: string, kb: string, doc: string, target: string) =>
      `${file}: knowledge base "${kb}" lists document "${doc}", which is not in the commit (${target})`,
    channelWithoutAgent: (file: string) =>
      `${file}: a channel file must be at channels/<agent>/<file>.yaml (the directory names the agent it belongs to)`,
    duplicateObject: (kind: string, name: string, first: string, second: string) =>
      `${kind} "${name}" is defined by both ${first} and ${second}`,
    notDeployed: (file: string, what: string, why: string) => `${file}: ${what} not deployed by wxo-policy (${why}); import it by hand`,
    openapiWithoutTools: (file: string) => `${file}: an OpenAPI spec without any operationId defines no tool; not imported`,
    openapiAmbiguous: (file: string, appIds: string[]) =>
      `${file}: several connections share the spec's server URL (${appIds.join(', ')}); imported without -a — name one with a top-level "x-wxo-app-id: <app_id>"`,
    unknownCredentialField: (file: string, env: string, field: string) =>
      `${file}: ${env} credentials field "${field}" has no \`connections set-credentials\` flag; ignored`,
    collaboratorCycle: (cycles: string[]) =>
      `collaborator cycle${cycles.length > 1 ? 's' : ''}: ${cycles.join('; ')} — agents are imported collaborators first, so a cycle cannot be deployed`,
    collaboratorCycleHint: 'Remove one of the collaborator references so the agents form a hierarchy.',
    // ADK fidelity (#9): what the ADK cannot take the way the runner would send it
    notDeployedUnit: (what: string, file: string, why: string) => `${what} (${file}): not deployed by wxo-policy — ${why}`,
    connectionWithoutStage: (file: string, appId: string, stage: string) =>
      `${file}: connection "${appId}" has no ${stage} environment block: nothing to import on a ${stage} stage`,
    liveConfigMissing: (items: string[]) =>
      `a live-stage deploy needs the live configuration of ${items.length > 1 ? 'these connections' : 'this connection'}, which the repository lacks:\n${items.map((i) => `  ${i}`).join('\n')}`,
    /** One gap of the live-configuration judgement (plan and check say the same). */
    liveConfigGap: (kind: string, name: string, agent: string) =>
      `${kind} "${name}" has no live configuration (environments.live), but agent ${agent} uses it and is released to a live stage`,
    liveConfigMissingHint:
      'Add an `environments.live` block (and its credentials) to each connection file: `agents deploy` releases only agents whose tools have a live connection.',
    identityProviderNotSet: (file: string, appId: string, env: string) =>
      `connection "${appId}" ${env} (${file}): on-behalf-of OAuth needs its identity provider, which is not deployed by wxo-policy — run \`orchestrate connections set-identity-provider -a ${appId} --env ${env} …\` once per tenant`,
    replacedDependency: (kind: string, name: string) =>
      `${kind} ${name} is replaced (not updated in place): its references are re-resolved`,
    // target
    noCommits: 'the repository has no commits yet: nothing to plan',
    noSuchRevision: (option: string, rev: string) => `${option} ${rev}: no such commit`,
    noBranch: 'cannot tell the environment: HEAD is detached and no branch was given',
    notABranchBuild: (kind: string) =>
      `a Jenkins ${kind === 'pr' ? 'pull request' : kind} build deploys nothing: deploys run on environment branches`,
    envHint: 'Run on an environment branch (develop, qa-X.Y.Z, staging-X.Y.Z, main), set BRANCH_NAME in CI, or pass --env <environment>.',
    jenkinsBranch: (branch: string) => `Jenkins branch build ${branch} (BRANCH_NAME)`,
    unknownEnvironment: (name: string, known: string[]) => `unknown environment "${name}" (the policy has: ${known.join(', ')})`,
    notAnEnvironmentBranch: (branch: string) => `branch ${branch} is not an environment branch`,
    envOverridesBranch: (env: string, branch: string, branchEnv: string) =>
      `--env ${env}: planning for ${env} although ${branch} is the ${branchEnv} branch`,
    baseNotAncestor: (tag: string) =>
      `the last deploy ${tag} is not in this branch's history (a reset or a force-push): planning against what it deployed, removals included`,
    fromIgnored: (from: string, tag: string) =>
      `--from ${from} ignored: the deploy tag ${tag} is the base (--from applies only where no deploy tag is reachable)`,
    noRemoteForTags: (remote: string) => `no remote "${remote}": using the deploy tags of this clone`,
    unshallowing: (remote: string) => `shallow clone: fetching the full history from ${remote} to find the last deploy tag`,
    fetchedTags: (env: string, remote: string) => `fetched the deploy tags of ${env} from ${remote}`,
    tagFetchFailed: (env: string, remote: string, detail: string) => `cannot fetch the deploy tags of ${env} from ${remote}: ${detail}`,
    tagFetchHint: (refspec: string) =>
      `Without its last deploy tag the plan would redeploy everything and miss every removal. Give the Jenkins agent read access to the remote (the refspec is ${refspec}).`,
    versionFileMissing: (file: string, commit: string) => `no ${file} at ${commit}: the deploy tag needs a version`,
    versionInvalid: (file: string, version: string) => `${file} says "${version}", which is not a valid version`,
    versionHint: (file: string) => `Write the version (e.g. 1.2.3) into ${file}, or deploy from a branch that carries it (qa-1.2.3).`,
    // deploy
    dryRunDone: 'dry run: nothing was called, nothing was tagged.',
    uncommitted: (commit: string) => `the working tree has uncommitted changes: they are not deployed (the deploy is commit ${commit})`,
    alreadyDeployed: (tag: string) => `nothing to deploy: ${tag} already deployed this commit`,
    noOperations: 'no resource changed since the last deploy: no orchestrate call needed',
    tenantFileMissing: 'tenant.yaml is missing: the branch does not say which tenant it deploys to',
    tenantMismatch: (field: string, found: string | undefined, expected: string, env: string) =>
      `tenant.yaml ${field} is ${found === undefined ? 'not set' : `"${found}"`}, but the policy's tenant of environment ${env} has "${expected}"`,
    tenantRefused: (env: string, problems: string[]) =>
      `refusing to deploy ${env}: the tenant files do not match the policy's tenant of ${env}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    tenantRefusedHint:
      "Every tenant-scoped file (tenant_scoped in wxo-policy.yaml: tenant.yaml, values.yaml …) must declare the tenant the policy binds this branch to, and tenant.yaml must describe how to reach it. A cross-tenant merge may have carried the other tenant's copy: restore the file from the target branch (`git checkout <branch> -- FILE`).",
    secretsMissing: (missing: { name: string; reason?: string }[], provider: string) =>
      `${missing.length} secret${missing.length === 1 ? '' : 's'} missing (provider: ${provider}); nothing was called:\n${missing.map((m) => `  ${m.name}${m.reason ? ` (${m.reason})` : ''}`).join('\n')}`,
    secretsMissingHint: (provider: string) =>
      provider === 'env'
        ? "Provide each as an environment variable of that name (Jenkins: withCredentials([string(credentialsId: …, variable: 'NAME')]))."
        : provider === 'file'
          ? 'Add each name to the secrets file (deploy.secrets.file).'
          : 'Make the secrets command (deploy.secrets.command) print each of them.',
    secretFileUnreadable: (path: string, reason: string) => `cannot read the secrets file ${path}: ${reason}`,
    secretFileHint:
      'Set deploy.secrets.file to an existing JSON, YAML or dotenv file outside the work tree (${VAR} in the path is taken from the environment).',
    secretFileInvalid: (path: string, reason: string) => `secrets file ${path}: ${reason}`,
    secretCommandMissing: (command: string) => `the secrets command "${command}" was not found`,
    secretCommandHint: 'Install it on the deploy agent or fix deploy.secrets.command in wxo-policy.yaml.',
    orchestrateMissing: (binary: string) => `the orchestrate CLI "${binary}" was not found or cannot be run`,
    orchestrateFailedToStart: (binary: string, detail: string) => `cannot start the orchestrate CLI "${binary}": ${detail}`,
    orchestrateHint:
      'Install the ADK on the deploy agent (pip install ibm-watsonx-orchestrate==<pinned version>) or set deploy.orchestrate in wxo-policy.yaml to its path.',
    authenticating: (env: string) => `authenticating: orchestrate environment ${env}`,
    envKnown: (env: string) => `${env} is configured`,
    envUnknown: (env: string) => `${env} is not configured yet: adding it`,
    envChanged: (env: string, was: string, now: string) => `${env} is configured for ${was}, the policy says ${now}: re-creating it`,
    cpdNotSupported: (env: string, url: string) =>
      `orchestrate environment ${env} (${url}) is a CPD tenant and the policy names no user for it: ADK 2.9 logs CPD in only with \`orchestrate env activate ${env} --username USER --api-key KEY\` and asks for a missing username on the terminal (no environment variable replaces it), which a pipeline cannot answer — nothing was called`,
    cpdNotSupportedHint:
      'Set tenants[].orchestrate.username in wxo-policy.yaml (the CPD user; its API key stays in api_key_secret): the deploy then logs in without a prompt.',
    attachmentAlreadyThere: (line: string) => `already so on the tenant: ${line}`,
    alreadyRemoved: (line: string) => `already removed (${line}): counted as done`,
    // the numbered steps of a deploy run: `[ 3/12] import agent claims_agent — changed`, then `✓ 1.2 s`
    stepNumber: (step: number, total: number) => `[${String(step).padStart(String(total).length)}/${total}]`,
    stepRemoveEnvironment: (env: string) => `remove orchestrate environment ${env} (its URL or auth type changed)`,
    stepAddEnvironment: (env: string) => `add orchestrate environment ${env}`,
    stepActivateEnvironment: (env: string) => `activate orchestrate environment ${env}`,
    stepDone: (ms: number, note?: string) => `✓ ${(ms / 1000).toFixed(1)} s${note ? ` — ${note}` : ''}`,
    stepFailed: (failure: string) => `✗ ${failure}`,
    retrying: (attempt: number, max: number, why: string) => `retry ${attempt}/${max} (${why})`,
    failed: (step: number, total: number, label: string, why: string) => `deploy failed at step ${step} of ${total} (${label}): ${why}`,
    failedSummary: (done: number, notRun: number, base: string | undefined) =>
      `${done} step${done === 1 ? '' : 's'} done, ${notRun} not run. No tag was created: the next deploy plans again from ${base ?? 'the beginning (no deploy tag yet)'} and repeats what is needed (imports are upserts).`,
    succeeded: (env: string, operations: number, seconds: number, tag: string, authSteps = 0) =>
      `deployed ${env}: ${operations} operation${operations === 1 ? '' : 's'}${authSteps ? ` + ${authSteps} authentication step${authSteps === 1 ? '' : 's'} = ${operations + authSteps} steps` : ''} in ${seconds.toFixed(1)} s — tagged ${tag}`,
    pushed: (tag: string, remote: string) => `pushed ${tag} to ${remote}`,
    pushHint: (tag: string, remote: string) => `the tag is local: \`git push ${remote} ${tag}\` (or deploy with --push-tags)`,
    pushFailed: (tag: string, remote: string, detail: string) =>
      `deployed and tagged ${tag}, but pushing the tag to ${remote} failed: ${detail} — push it by hand (\`git push ${remote} ${tag}\`) so the next deploy starts from it`,
    tagFailed: (tag: string, detail: string) => `cannot create the deploy tag ${tag}: ${detail}`,
    interrupted: (signal: string) => `deploy interrupted (${signal}): no tag was created; rendered files and the lock were removed`,
    locked: (env: string, holder: { pid: number; host: string; time: string; commit: string }) =>
      `another deploy of ${env} is running (pid ${holder.pid} on ${holder.host}, since ${holder.time}, commit ${String(holder.commit).slice(0, 12)})`,
    lockedHint: (path: string) => `Wait for it to finish. If you are sure no deploy runs, remove ${path}.`,
    lockUnwritable: (path: string, detail: string) => `cannot take the deploy lock ${path}: ${detail}`,
    staleLockRecovered: (holder: { pid: number; host: string; time: string; killed: number[] }) =>
      `took over a stale deploy lock (pid ${holder.pid} on ${holder.host}, since ${holder.time})${holder.killed.length ? `; killed the orchestrate process group(s) it left running: ${holder.killed.join(', ')}` : ''}`,
    orchestrateRefused: (binary: string) =>
      `deploy.orchestrate "${binary}" is refused: it receives every secret of the deploy, and the deployed commit chose it`,
    orchestrateRefusedHint: (variable: string) =>
      `Use a command name found on PATH (orchestrate) or an absolute path outside the repository; to run a program of the repository on purpose, set ${variable}=1 on the deploy agent.`,
    deadWorkspacesRemoved: (count: number) => `removed ${count} rendered workspace(s) of deploys that died without cleaning up`,
    hookDeployDisabled:
      'deploying from git hooks is off here, so that a merge on your machine never deploys by surprise: the plan above is what Jenkins deploys after you push (a deploy agent that deploys from hooks sets WXO_POLICY_DEPLOY=1, or deploy.from_hooks: true in wxo-policy.yaml)',
    // status
    statusBindingOk: (tenant: string) => `tenant binding: ok (every tenant-scoped file declares ${tenant})`,
    statusBindingProblems: (tenant: string) => `tenant binding: does not match ${tenant} (deploy refuses this branch):`,
    // rollback
    rollbackNeedsBranch: 'rollback needs the environment branch checked out (HEAD is detached)',
    rollbackHint: 'Check out the environment branch (e.g. `git switch qa-1.2.3`) and run `wxo-policy rollback --to <deploy tag>`.',
    noSuchTag: (tag: string) => `no tag ${tag} in this clone (git fetch --tags?)`,
    notADeployTag: (tag: string) => `${tag} is not a deploy tag (v1.2.3-dev, -qa, -staging, v1.2.3, with .2, .3 … for redeploys)`,
    tagOfOtherEnvironment: (tag: string, tagEnv: string, branch: string, env: string) =>
      `${tag} is a deploy tag of ${tagEnv}, but ${branch} is the ${env} branch`,
    tagNotInHistory: (tag: string, branch: string) =>
      `${tag} is not in the history of ${branch}: a revert can only go back along the branch`,
    rollbackDirty: (n: number) => `the working tree has ${n} uncommitted change${n === 1 ? '' : 's'}: refusing to revert`,
    rollbackDirtyHint: 'Commit or stash your changes first (`git stash`), then run the rollback again.',
    rollbackInProgress: (marker: string) => `a git operation is in progress (${marker}): finish or abort it first`,
    nothingToRevert: (branch: string, tag: string) => `nothing to revert: ${branch} has no commits after ${tag}`,
    reverting: (n: number, branch: string, tag: string) =>
      `reverting ${n} commit${n === 1 ? '' : 's'} of ${branch} back to ${tag} (newest first)`,
    revertConflict: (commit: string, files: string[]) =>
      `reverting ${commit} conflicts${files.length ? ` in ${files.join(', ')}` : ''}; the branch was put back as it was`,
    revertConflictHint: (tag: string) =>
      `A later commit builds on it. Revert by hand (\`git revert -m 1 <merge>\` / \`git revert <commit>\`, resolving the conflicts), or choose a later tag than ${tag}.`,
    revertsMade: (n: number) => `${n} revert commit${n === 1 ? '' : 's'} made:`,
    rollbackPlanTitle: 'the deploy of these commits will do:',
    resetNotAllowed: (env: string, stage: string) =>
      `rollback by reset is not allowed on ${env} (${stage} stage): the policy keeps its history (environments[].allow_reset; default: draft stages only)`,
    resetNotAllowedHint: (tag: string) =>
      `Roll back with reverts instead: \`wxo-policy rollback --to ${tag}\` (the reverts go through review, checks and deploy like any change).`,
    reverted: (subject: string, isMerge: boolean) => `reverted ${subject}${isMerge ? ' (merge, -m 1)' : ''}`,
    revertSkipped: (subject: string) => `skipped ${subject}: nothing left to revert`,
    resetFailed: (detail: string) => `git reset failed: ${detail}`,
    resetDone: (branch: string, tag: string, n: number, backup: string, head: string) =>
      `${branch} reset to ${tag}: ${n} commit${n === 1 ? '' : 's'} left the branch (the old head ${head} is kept as ${backup})`,
    resetNext: (branch: string, oldHead: string) =>
      `push it to deploy: \`git push --force-with-lease=${branch}:${oldHead} origin ${branch}\` (refused if someone pushed meanwhile; pre-push allows it because the policy does and ${branch} is on a deploy tag)`,
    resetRefused: (branch: string, env: string) =>
      `force-push to ${branch} refused: it rewrites the history of ${env}, and the policy allows rollback by reset only where environments[].allow_reset is true (default: draft stages)`,
    resetNotOnTag: (branch: string, env: string) =>
      `force-push to ${branch} refused: a rollback by reset must put ${branch} on a deploy tag of ${env} (\`wxo-policy rollback --to TAG --reset\`)`,
    resetRefusedHint:
      'Roll back with `wxo-policy rollback --to TAG` (reverts), or fetch and merge the remote branch instead of overwriting it.',
    rollbackNext: (branch: string) =>
      `push the branch to deploy it: \`git push origin ${branch}\` (Jenkins deploys; or run \`wxo-policy deploy\` where deploying is set up)`,
  },
  // protect, docs, tutorial (governance as code)
  protect: {
    providerNeeded: 'protect needs --provider github or --provider gitlab',
    badRepo: (value: string) => `--repo must be OWNER/NAME, not "${value}"`,
    badProject: (value: string) => `--project must be a project id or path (group/name), not "${value}"`,
    targetNeeded: (provider: string) => (provider === 'github' ? '--apply needs --repo OWNER/NAME' : '--apply needs --project ID'),
    badApiUrl: (value: string) => `--api-url must be an http(s) URL, not "${value}"`,
    noEnvironmentBranches: 'no environment branch here (local or remote-tracking) to read CODEOWNERS from',
    noEnvironmentBranchesHint:
      "Fetch the environment branches first (`git fetch origin`), or pass --repo/--project to compare the server's settings.",
    codeownersInSync: (refs: string[]) =>
      `CODEOWNERS matches the policy on ${refs.length === 1 ? refs[0] : `all ${refs.length} environment branches (${refs.join(', ')})`}`,
    codeownersDrift: (n: number, provider: string) =>
      `CODEOWNERS: ${n} difference${n === 1 ? '' : 's'} from the policy (\`wxo-policy protect --provider ${provider} --write-codeowners\` on the branch writes the file; bring it in through a pull request):`,
    codeownersMissing: (locations: readonly string[], provider: string) =>
      `no ${locations.join(', ')} (the server finds no code owners: \`wxo-policy protect --provider ${provider} --write-codeowners\` writes it)`,
    ownersDiffer: (path: string, line: number | undefined, found: string[], wanted: string[]) =>
      `${found.length ? `owned by ${found.join(' ')}` : 'no owners'}${line ? ` (line ${line} of ${path})` : ` (no line of ${path} covers it)`}, the policy wants ${wanted.join(' ')}`,
    serverNotChecked: (provider: string) =>
      `the server's settings were not compared: pass ${provider === 'github' ? '--repo OWNER/NAME' : '--project ID'} (and a token) for that`,
    oneMode: 'choose one of --dry-run, --apply and --check',
    noToken: (name: string, source: string) => `no token for the Git server: ${name} is not set (secret provider: ${source})`,
    noTokenHint: (provider: string, name: string) =>
      `Provide a ${provider === 'github' ? 'GitHub token with "Administration: write" on the repository' : 'GitLab token with the api scope and Maintainer role'} as ${name} through the policy's secret provider (deploy.secrets); governance.${provider}_token_secret names it.`,
    apiFailed: (what: string, url: string, detail: string) => `${what} on ${url} failed: ${detail}`,
    apiFailedHint: "Check the token's permissions, --repo/--project and --api-url; nothing after this request was changed.",
    created: (what: string) => `created ${what}`,
    updated: (what: string) => `updated ${what}`,
    removed: (what: string) => `removed ${what} (no longer in the policy)`,
    inSync: (provider: string, target: string) => `${provider} ${target}: branch protection matches the policy`,
    drift: (n: number, provider: string, target: string) =>
      `${provider} ${target}: ${n} setting${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from the policy (\`wxo-policy protect --apply\` fixes ${n === 1 ? 'it' : 'them'}):`,
    applied: (n: number) => (n ? `${n} change${n === 1 ? '' : 's'} applied` : 'nothing to change: the server already matches the policy'),
    dryRunNote: 'dry run: nothing was sent. --apply sends these requests (creating or updating by name), --check compares.',
    codeownersWritten: (path: string, tenant: string) => `wrote ${path} (owners of tenant ${tenant})`,
    unsafeWrite: (path: string, reason: string) => `refusing to write ${path}: ${reason}`,
    codeownersNeedsTenant: 'cannot tell the tenant: check out an environment branch or pass --tenant NAME',
    unknownTenant: (name: string, known: string[]) => `unknown tenant "${name}" (tenants: ${known.join(', ')})`,
    resolvedWhenApplied: (what: string) => `--apply adds ${what}`,
  },
  docs: {
    outsideRepo: (dir: string) => `--output ${dir} is outside the repository`,
    upToDate: (n: number, dir: string) => `${dir}: the ${n} generated documents match the policy`,
    stale: (n: number) => `${n} document${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from what the policy generates:`,
    staleHint: (dir: string) => `Run \`wxo-policy docs --output ${dir}\` and commit the result.`,
    written: (n: number, dir: string) => `${n} documents generated from the policy in ${dir}`,
    nonePresent: (dir: string) => `${dir}: no documents generated by \`wxo-policy docs\` here, nothing to check (--if-present)`,
    ifPresentNeedsCheck: '--if-present only goes with --check',
  },
  tutorial: {
    noStandIn: (path: string) => `the tutorial needs the orchestrate stand-in, which is not at ${path}`,
    notEmpty: (dir: string) => `${dir} already holds a tutorial sandbox: choose an empty directory`,
    dirInUse: (dir: string) =>
      `${dir} is not an empty directory: the sandbox goes into a new or empty one (or leave out --dir for a temporary one)`,
    setupFailed: (command: string, detail: string) => `could not build the sandbox: ${command} failed: ${detail}`,
    welcome: (dir: string) =>
      `wxo-policy tutorial — a throw-away sandbox in ${dir}: a repository with the default policy and the hooks, a bare origin, the orchestrate stand-in.`,
    howTo: (envFile: string) =>
      `In another terminal: \`source ${envFile}\` (it sets PATH, the made-up API keys and cd's into the repository). Do each step there, then press Enter here (q quits).`,
    prompt: '   press Enter when done (q to quit)',
    stepDone: 'done',
    notYet: (missing: string) => `not yet: ${missing}`,
    stopped: (done: number, total: number, dir: string) =>
      `stopped after ${done} of ${total} steps (the sandbox ${dir} stays until removed)`,
    finished: (n: number) =>
      `all ${n} steps done: you committed, were stopped by a hook, promoted across tenants, deployed and rolled back both ways.`,
    kept: (dir: string) => `the sandbox is kept in ${dir}`,
    missingFeature: 'no feature/* branch with a commit that changes agents/helper.yaml',
    secretCommitted:
      'the secret is in a commit (was the hook bypassed with --no-verify?): remove that commit (git reset --hard HEAD~1) and try again',
    secretNotStaged: 'agents/helper.yaml has no line with the password: add it, then `git add agents/helper.yaml && git commit -m "Oops"`',
    missingBranch: (branch: string) => `origin has no ${branch} yet`,
    featureNotPromoted: (branch: string) => `${branch} on origin does not have your agents/helper.yaml change`,
    wrongTenant: (branch: string) => `${branch} on origin does not declare prod-tenant in tenant.yaml`,
    missingTag: (tag: string) => `origin has no deploy tag ${tag} yet`,
    notReverted:
      'develop on origin is not the reverted state yet (its tree must equal the tag, its history must still contain the bad deploy)',
    notReset: (branch: string, tag: string) => `${branch} on origin is not at ${tag} yet`,
  },
  live: {
    // drift
    neverDeployed: (env: string) => `${env} has no deploy tag reachable from this commit: nothing to compare the tenant with`,
    authFailed: (envName: string, detail: string) => `cannot reach orchestrate environment ${envName}: ${detail}`,
    authHint:
      'Check the tenant URL and API key (the secret named by tenant.yaml or the policy), and that the orchestrate CLI is installed.',
    draftFromSibling: (sibling: string, tag: string) =>
      `the tenant's draft was last deployed by ${sibling} (${tag}): draft resources are compared with that tag`,
    where: (env: string, tenant: string, stage: string) => `${env} (tenant ${tenant}, ${stage} stage)`,
    header: (where: string, tag: string, commit: string) => `drift of ${where} against ${tag} (${commit})`,
    headerNoTag: (where: string) => `drift of ${where}`,
    unknown: (detail: string) => `could not tell whether the tenant drifted: ${detail}`,
    unchecked: (n: number) =>
      `${n} resource${n === 1 ? '' : 's'} not compared (voice configurations, models, channels and phone configurations cannot be listed by the orchestrate CLI)`,
    inSync: (env: string) => `${env}: the tenant matches its last deploy`,
    allWithEnv: 'drift takes --env E or --all, not both',
    knowledgeBasesComparedIn: (env: string, tenant: string) =>
      `knowledge bases are tenant-wide: compared once for tenant ${tenant}, in ${env}`,
    allSummary: (counts: { inSync: number; drift: number; unknown: number }) =>
      `drift --all: ${counts.inSync} in sync, ${counts.drift} drifted, ${counts.unknown} could not tell`,
    drifted: (env: string, n: number) => `${env}: ${n} resource${n === 1 ? '' : 's'} drifted from the last deploy`,
    adviceRedeploy: (env: string, tag: string, path?: string) =>
      `redeploy ${tag} (\`wxo-policy deploy --env ${env} --full\` on its branch), or bring the tenant's change into Git${path ? ` (${path})` : ''} and deploy it`,
    itemLabel: (kindWord: string, name: string, tenantWide: boolean) => `${kindWord} ${name}${tenantWide ? ' (tenant-wide)' : ''}`,
    /** A changed field in the text report; `paint` colours the two sides. */
    fieldDiff: (field: string, git: string, tenant: string, paint: { git(t: string): string; tenant(t: string): string }) =>
      `${field}: ${paint.git(`git ${git}`)} ≠ ${paint.tenant(`tenant ${tenant}`)}`,
    /** A changed field in JUnit and SARIF. */
    fieldDiffPlain: (field: string, git: string, tenant: string) => `${field}: git ${git} / tenant ${tenant}`,
    fix: (advice: string) => `fix: ${advice}`,
    inSyncWith: (tag: string) => `in sync with ${tag}`,
    adviceUnmanaged: (kind: string, name: string) => `remove ${kind} ${name} from the tenant, or define it in Git and deploy it`,
    adviceDraftDiffers: (env: string) =>
      `live keeps ${env}'s version; promote and deploy ${env} to publish the draft, or ignore until then`,
    cannotWrite: (path: string, reason: string) => `cannot write ${path}: ${reason}`,
    verifying: 'verifying: the tenant against what this deploy imported and removed',
    verified: (n: number) => `ok (${n} resource${n === 1 ? '' : 's'} as planned)`,
    verifySkipped: 'skipped (--no-verify-live)',
    verifyItem: (state: string, kind: string, name: string) =>
      state === 'missing'
        ? `${kind} ${name}: not in the tenant after its import`
        : state === 'unmanaged'
          ? `${kind} ${name}: still in the tenant after its removal`
          : `${kind} ${name}: differs from what was imported`,
    verifyDiff: (field: string, planned: string, tenant: string) => `${field}: planned ${planned} ≠ tenant ${tenant}`,
    verifyOk: (verification: string) => `live verification: ${verification}`,
    verifyMismatch: (n: number) => `${n} resource${n === 1 ? ' is' : 's are'} not as planned`,
    verifyFailed: (why: string) => `post-deploy verification failed: ${why}; no deploy tag was made`,
    verifyFailedHint: (base?: string) =>
      `The operations ran, but the tenant does not show their result. Look at the tenant (wxo-policy drift), then deploy again — it plans from ${base ?? 'the beginning'}; --no-verify-live skips the check (the record says so).`,
    stateUnwritable: (detail: string) => `the drift state was not saved (drift found / cleared alerts compare with it): ${detail}`,
  },
  notify: {
    secretsUnavailable: (detail: string) => `notifications not sent: the secret provider failed (${detail})`,
    urlMissing: (target: string, secret: string, reason?: string) =>
      `notification ${target} not sent: its URL secret ${secret} is not set${reason ? ` (${reason})` : ''}`,
    urlInvalid: (target: string, secret: string) => `notification ${target} not sent: the secret ${secret} is not an http(s) URL`,
    failed: (target: string, event: string, attempts: number, detail: string) =>
      `notification ${target} (${event}) failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail} — carrying on`,
    sent: (target: string, event: string) => `notified ${target} (${event})`,
    refusedBeforeStart:
      'The deploy was refused before its first orchestrate call: nothing was changed in the tenant and no deploy tag was made.',
    unknownEvent: (event: string | undefined, known: readonly string[]) =>
      event ? `unknown event "${event}" (events: ${known.join(', ')})` : `notify needs --event (events: ${known.join(', ')})`,
    approvalText: (env: string, commit: string, build?: string) =>
      `The deploy of ${env} (${commit}) waits for an approval${build ? `: ${build}input` : ' in Jenkins'}.`,
    startedTitle: (env: string) => `Deploy of ${env} started`,
    startedText: (operations: number, tenant: string, base: string | undefined, head: string) =>
      `${operations} operation${operations === 1 ? '' : 's'} on tenant ${tenant}, from ${base ?? 'nothing deployed yet'} to ${head}`,
    succeededTitle: (env: string, tag?: string) => `Deployed ${env}${tag ? `: ${tag}` : ''}`,
    succeededText: (operations: number, seconds: number) => `${operations} operation${operations === 1 ? '' : 's'} in ${seconds} s`,
    refusedTitle: (env: string) => `Deploy of ${env} refused`,
    failedTitle: (env: string) => `Deploy of ${env} failed`,
    failedText: (failure: string, base: string | undefined) =>
      `${failure}\nNo deploy tag was made; the next run plans again from ${base ?? 'the beginning'}.`,
    rollbackTitle: (env: string, tag: string) => `Rollback of ${env} to ${tag}`,
    rollbackText: (reverts: number, branch: string) =>
      `${reverts} revert commit${reverts === 1 ? '' : 's'} on ${branch}; pushing the branch deploys the previous versions.`,
  },
  metrics: {
    notHttp: 'the Pushgateway URL must be http:// or https://',
    badUrl: 'the Pushgateway URL is not a URL',
    pushed: (url: string, job: string) => `metrics pushed to ${url} (job ${job})`,
    pushFailed: (url: string, detail: string) => `metrics not pushed to ${url}: ${detail}`,
  },
  unknownFormat: (format: string, known: string[]) => `unknown format "${format}" (formats: ${known.join(', ')})`,
  // environment (what the Jenkinsfile asks about a branch)
  environment: {
    noBranch: 'cannot tell the branch: HEAD is detached and no branch was given',
    noBranchHint: 'Pass --branch NAME (Jenkins sets BRANCH_NAME, which is read automatically).',
  },
  // init: adopting wxo-policy in an existing repository (README "Adopt wxo-policy in your repository")
  adopt: {
    notARepo: (dir: string) => `${dir} is not inside a git repository: init sets up an existing GitOps repository and wrote nothing`,
    notARepoHint: 'Run it in a clone of your GitOps repository (or `git init` first), or pass -C <dir>.',
    tenantsTitle: 'Tenants found on the environment branches (their tenant.yaml):',
    tenantLine: (name: string, refs: string[], environments: string[]) =>
      `${name}  ${refs.join(', ')} → environment${environments.length === 1 ? '' : 's'} ${environments.join(', ') || 'none'}`,
    assumed: (environment: string, from: string) => `${environment}: no branch of it yet, same tenant as ${from}`,
    renamedBranch: (environment: string, from: string, to: string) => `${environment}: this repository uses ${to}, not ${from}`,
    noTenantsFound:
      'No environment branch (develop, main, qa-*, staging-* — local or remote-tracking) has a tenant.yaml: wxo-policy.yaml has the default placeholder tenants.',
    policyKept:
      "wxo-policy.yaml exists and was kept (--force rewrites it from the branches): `wxo-policy doctor` compares its tenants with the branches' tenant.yaml.",
    todoTitle: 'Left to do:',
    todoProblem: (problem: string) => `resolve: ${problem}`,
    todoPlaceholder: (tenant: string, environments: string[]) =>
      `edit tenant ${tenant} in wxo-policy.yaml (environment${environments.length === 1 ? '' : 's'} ${environments.join(', ')}): no branch of ${environments.length === 1 ? 'it' : 'them'} has a tenant.yaml, so it is the default placeholder — name, url, env_name and api_key_secret must be your tenant's`,
    todoReview:
      'review wxo-policy.yaml: tenants and environments as above; branches.allowed, promotions, rules and references.provided are the defaults',
    todoCredentials: (list: string[]) =>
      `in Jenkins, create the "Secret text" credential${list.length === 1 ? '' : 's'} ${list.join(', ')} (the Jenkinsfile asks \`wxo-policy environment\` for them)`,
    todoOnEnvironmentBranch: (branch: string) =>
      `you are on ${branch}, an environment branch, where direct commits are refused once the hooks are on: adopt on a branch — \`git switch -c hotfix/adopt-wxo-policy\` (your changes come along)`,
    todoInstall: 'npm install (installs wxo-policy, husky and lint-staged; `prepare` turns the hooks on in every clone)',
    todoVerify: 'then, with wxo-policy installed by npm install: npx wxo-policy doctor && npx wxo-policy check --all --worktree',
    todoCommit:
      'git add -A && git commit -m "Add wxo-policy", push the branch and merge it into develop and main (README "Adopt wxo-policy in your repository", step 6)',
    nothingToDo: 'Nothing to do: wxo-policy is already set up here.',
  },
  // where clones get wxo-policy from (init --package-spec, doctor)
  packageSpec: {
    outside: (spec: string) =>
      `package.json installs wxo-policy from "${spec}", a path ${spec.startsWith('git+file:') ? 'on this machine' : 'outside this repository'}: other clones and Jenkins do not have it`,
    directory: (spec: string) => `package.json installs wxo-policy from the directory "${spec}": npm links it as it is, unbuilt`,
    registry: (spec: string) =>
      `package.json installs wxo-policy as "${spec}" from the npm registry, where wxo-policy is not published (the name is not ours there)`,
    fix: 'vendor a release tarball: `mkdir -p vendor && npm pack <wxo-policy checkout> --ignore-scripts --pack-destination vendor`, then `wxo-policy init --package-spec file:vendor/wxo-policy-<version>.tgz` — or a git URL with a tag, a tarball URL, or your private registry as `npm:@your-scope/wxo-policy@^<version>` (README "Installing wxo-policy portably")',
    ok: (spec: string, kind: string) => `package.json installs wxo-policy from "${spec}" (${kind}: the same in every clone and in Jenkins)`,
    missing: 'package.json does not list wxo-policy: other clones and Jenkins will not install it',
  },
  // the bootstrap rule: a change that introduces the policy is judged by it
  bootstrap: {
    policyOfChange: (target: string) =>
      `${target} has no wxo-policy.yaml yet: the policy this change introduces applies (it is the adoption)`,
  },
  // tenant-binding: tenant.yaml against the policy's tenant of its branch
  tenantTruth: {
    settingDisagrees: (key: string, found: string, tenant: string, expected: string) =>
      `orchestrate.${key} is "${found}", but the policy's tenant ${tenant} has "${expected}" (deploy would refuse this branch)`,
    settingMissing: (key: string, tenant: string, expected: string) =>
      `orchestrate.${key} is not set; the policy's tenant ${tenant} has "${expected}"`,
    disagreeHint: (tenant: string, branch: string) =>
      `tenant.yaml on ${branch} and tenant ${tenant} in wxo-policy.yaml (tenants[].orchestrate) must say the same: correct whichever is wrong. \`wxo-policy doctor\` compares the policy with every environment branch.`,
    unknownTenantHint: (tenant: string) =>
      `Add tenant ${tenant} to tenants in wxo-policy.yaml (with its orchestrate settings from this file), or correct the file's \`tenant:\`.`,
  },
  // check: what a verdict is about
  judged: {
    worktreeLabel: 'all files in the work tree',
    worktreeConflict: '--worktree judges the whole work tree: it goes with --all (or alone), not with --staged, --range, --since or paths',
    uncommittedNotJudged: (commit: string) =>
      `judged the files committed at HEAD (${commit}), as CI will; the work tree has uncommitted changes that were not judged: \`wxo-policy check --all --worktree\` judges them`,
  },
  // hints that depend on the situation a finding is reported in
  situational: {
    secretStaged:
      'Remove the secret from the staged file and use a ${NAME} placeholder filled at deploy time. The commit was refused, so the secret is not in the history. A false positive: add `# wxo-policy-ignore secrets -- reason` on the line, or a suppression with this hash.',
    versionMissing: (file: string) => `Write the release version (e.g. 1.2.3) into ${file} at the repository root and commit it.`,
    versionOfBranch: (file: string, version: string) => `Make ${file} say ${version}, the version in the branch name.`,
    versionInvalid: (file: string) =>
      `Write a valid version into ${file} (MAJOR.MINOR.PATCH, e.g. 1.2.3, or the versioning.pattern of wxo-policy.yaml).`,
  },
  // plan output: text for people (and Jenkins logs), the hooks' summary (deploy/format.ts)
  plan: {
    phaseTitles: {
      connections: 'connections',
      tools: 'tools, flows and toolkits',
      knowledge_bases: 'knowledge bases',
      importables: 'voice configurations and models',
      agents: 'agents (collaborators first)',
      deploy: 'agents deploy (draft → live)',
      attachments: 'channels and phone configurations',
      removals: 'removals (reverse order)',
    },
    actionWords: {
      import: 'import',
      'set-credentials': 'set credentials',
      deploy: 'deploy',
      remove: 'remove',
      attach: 'attach',
      detach: 'detach',
    },
    /** `import agent claims_agent — changed` */
    operation: (action: string, what: string, reason: string, tenantWide: boolean) =>
      `${action} ${what} — ${reason}${tenantWide ? ' [tenant-wide]' : ''}`,
    agentOf: (name: string) => `agent ${name}`,
    baseNone: 'base: none — first deploy of this environment, everything is new',
    baseTag: (tag: string, commit: string, date: string) => `base: ${tag} (${commit}, ${date})`,
    baseFrom: (commit: string) => `base: ${commit} (--from; no deploy tag of this environment is reachable)`,
    environmentLine: (env: string, tenant: string, orchestrateEnv: string, stage: string) =>
      `environment ${env}: tenant ${tenant} (orchestrate env ${orchestrateEnv}), ${stage} stage`,
    headLine: (branch: string | undefined, commit: string) => `head: ${branch ? `${branch} at ` : ''}${commit}`,
    warning: (text: string) => `warning: ${text}`,
    tenantProblem: (problem: string) => `warning: ${problem} (deploy refuses this)`,
    noChanges: 'no changes: nothing to deploy',
    changes: (added: number, changed: number, removed: number, operations: number) =>
      `changes: ${added} added, ${changed} changed, ${removed} removed — ${operations} operation${operations === 1 ? '' : 's'}`,
    authenticatesFirst: (add: string, activate: string) => `authenticates first: ${add} (only if missing), then ${activate}`,
    tenantWidePhase: (tenant: string) => ` — tenant-wide: Draft and Live of ${tenant} change at once`,
    secretsNeeded: (names: string[]) => `secrets needed: ${names.join(', ')}`,
    summaryBaseNone: 'none (first deploy)',
    summaryHead: (env: string, tenant: string, stage: string) => `${env} (${tenant}, ${stage})`,
    summaryNoChanges: (head: string, base: string) => `deploy plan for ${head} since ${base}: no changes`,
    summary: (head: string, base: string, added: number, changed: number, removed: number, operations: number) =>
      `deploy plan for ${head} since ${base}: ${added} added, ${changed} changed, ${removed} removed — ${operations} operations`,
    summaryMore: (n: number) => `… ${n} more (wxo-policy plan)`,
  },
  // `status` as text (deploy/status.ts)
  statusText: {
    environment: (env: string, tenant: string, stage: string, branch: string, tags: string) =>
      `${env} — tenant ${tenant}, ${stage} stage, branch ${branch}, tags ${tags}`,
    noBranch: 'no branch here or on the remote',
    ahead: (ahead: number, behind: number, remote: string) => `, local ${ahead} ahead / ${behind} behind ${remote}`,
    inSync: ', in sync',
    branch: (name: string, where: string, sync: string, head: string) => `${name} (${where}${sync}) at ${head}`,
    lastDeploy: (tag: string, commit: string, date: string) => `last deploy: ${tag} → ${commit} (${date})`,
    neverDeployed: 'last deploy: never',
    notDeployed: (n: number) => `not deployed: ${n} commit${n === 1 ? '' : 's'}`,
    allDeployed: 'not deployed: none',
    waiting: (env: string, branch: string, n: number) => `waiting for promotion to ${env} (${branch}): ${n} commit${n === 1 ? '' : 's'}`,
    noPromotionBranch: (env: string, branch: string) => `promotion to ${env}: ${branch} does not exist yet`,
  },
  // `status --format html`: the status board's words (live/board.ts adds the markup and escapes them)
  board: {
    title: (repository: string) => `wxo-policy status — ${repository}`,
    heading: (repository: string) => `Deployments of ${repository}`,
    generated: (time: string, tool: string, version: string) =>
      `Generated ${time} by ${tool} ${version} from Git (branches, deploy tags) and the last drift check of each environment.`,
    driftTotal: (n: number) => `${n} environment${n === 1 ? '' : 's'} drifted.`,
    environment: (env: string) => `environment ${env}`,
    stage: (live: boolean) => `${live ? 'LIVE' : 'DRAFT'} stage`,
    tenant: 'Tenant',
    branch: 'Branch',
    drift: 'Drift',
    head: 'Head',
    version: 'Version',
    lastDeploy: 'Last deploy',
    whoWhen: 'Who / when',
    build: 'Build',
    waitingForDeploy: 'Waiting for deploy',
    waitingFor: (env: string) => `Waiting for ${env}`,
    tenantBinding: 'Tenant binding',
    notChecked: 'not checked',
    inSync: (checked: string) => `in sync (checked ${checked})`,
    drifted: (n: number, checked: string) => `drift: ${n} resource${n === 1 ? '' : 's'} (checked ${checked})`,
    couldNotTell: (checked: string) => `could not tell (checked ${checked})`,
    moreDrifted: (n: number) => `… ${n} more`,
    noBranch: 'No branch here or on the remote.',
    aheadBehind: (ahead: number, behind: number) => ` (local ${ahead} ahead / ${behind} behind)`,
    by: (who: string) => `by ${who}`,
    at: (when: string) => `at ${when}`,
    took: (seconds: number) => `(${seconds.toFixed(0)} s)`,
    neverDeployed: 'never deployed',
    commits: (n: number) => `${n} commit${n === 1 ? '' : 's'}`,
    none: 'none',
    commitsTo: (n: number, branch: string) => `${n} commit${n === 1 ? '' : 's'} → ${branch}`,
    noneTo: (branch: string) => `none → ${branch}`,
    branchMissing: (branch: string) => `${branch} does not exist yet`,
    bindingOk: 'ok',
    noTenantFile: 'no tenant.yaml',
    bindingMismatch: (n: number) => `does not match (${n})`,
    legend: 'Legend:',
    legendOk: 'ok',
    legendWaiting: 'waiting',
    legendProblem: 'problem',
    legendUnknown: 'unknown / not yet',
    legendNote: '— columns follow the promotion path left to right.',
  },
  // the command line: options and arguments
  args: {
    unknownOption: (option: string, suggestion?: string, known?: string[]) =>
      `unknown option ${option}${suggestion ? ` (did you mean ${suggestion}?)` : known?.length ? ` (options: ${known.join(', ')})` : ''}`,
    needsValue: (option: string) => `${option} needs a value (${option} VALUE or ${option}=VALUE)`,
    takesNoValue: (option: string) => `${option} takes no value`,
    ambiguousValue: (option: string) =>
      `${option} needs a value, and the next argument looks like an option: write ${option}=VALUE if the value starts with "-"`,
    unexpectedArgument: (arg: string, command: string) => `unexpected argument "${arg}": wxo-policy ${command} takes no arguments`,
    notAnInteger: (name: string, min: number, value: string) => `--${name} needs an integer >= ${min}, not "${value}"`,
    moreHelp: (command: string) => `Run \`wxo-policy ${command} --help\` for every option.`,
  },
};
