/**
 * Every sentence the CLI prints about itself (errors, hints, hook explanations) lives here, so
 * wording and fix hints stay consistent. Findings carry their own message; their fix hints are
 * the `hints` below, keyed by rule id.
 */
import type { RuleId } from './policy/model.js';

export const hints: Record<RuleId | 'suppression', string> = {
  'branch-name': 'Rename the branch (git branch -m NEW) to an environment branch (develop, qa-X.Y.Z, staging-X.Y.Z, main) or an allowed pattern from branches.allowed in wxo-policy.yaml.',
  'tag-name': 'Deploy tags are created by `wxo-policy deploy`; delete a hand-made tag with `git tag -d TAG` (and `git push --delete origin TAG`).',
  'promotion-path': 'Promote along the policy edges (develop → qa-X → staging-X → main) with `wxo-policy promote`.',
  'yaml-syntax': 'Fix the YAML syntax at the position shown.',
  schema: 'Fix the value at the position shown; see the wxO ADK reference for the allowed fields.',
  references: 'Add the missing resource to the repository, fix the name, or list platform-provided names under references.provided in wxo-policy.yaml.',
  secrets: 'Remove the secret, rotate it (it is in the history now), and use a ${NAME} placeholder filled at deploy time. A false positive: add `# wxo-policy-ignore secrets -- reason` on the line, or a suppression with this hash.',
  'connection-template': 'Write credentials as ${NAME} placeholders; the deploy runner fills them from the secret provider.',
  'forbidden-files': 'Remove the file from git (`git rm --cached FILE`) and add it to .gitignore.',
  'tenant-binding': 'Restore the file from the target branch (`git checkout <branch> -- FILE`); cross-tenant promotions go through `wxo-policy promote`, which keeps the target tenant files.',
  'version-consistency': 'Make the version file equal the version in the branch name.',
  'policy-change': 'Changes to wxo-policy.yaml need a reviewer from the platform team; in pull requests the target branch policy applies.',
  suppression: 'Remove the stale suppression (inline comment or wxo-policy.yaml entry).',
};

export const messages = {
  policyHint: 'See "The policy file" in the wxo-policy README; `wxo-policy init` writes a complete example.',
  policyInvalid: (origin: string, problems: string[]) => `${origin} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  policyUnreadable: (path: string, reason: string) => `cannot read ${path}: ${reason}`,
  policyDefaultUsed: 'no wxo-policy.yaml in this repository: using the built-in default policy (`wxo-policy init` writes one).',
  notARepo: (dir: string) => `${dir} is not inside a git repository`,
  notARepoHint: 'Run the command inside a clone, or pass -C <dir>.',
  gitMissing: 'git was not found on PATH',
  gitFailed: (args: string, detail: string) => `git ${args} failed: ${detail}`,
  unknownCommand: (name: string) => `unknown command "${name}"`,
  usageHint: 'Run `wxo-policy --help` for the list of commands.',
  internalError: (detail: string) => `internal error: ${detail}`,
  internalErrorHint: 'This is a bug in wxo-policy; set WXO_POLICY_DEBUG=1 for the stack trace and report it.',
  noFilesMatched: 'no files to check',
  pathNotFound: (path: string) => `${path}: no such file`,
  fileTooLarge: (bytes: number, limit: number) => `file is ${bytes} bytes, over the ${limit}-byte scan limit (secrets.max_file_bytes): not scanned`,
  fileUnreadable: (reason: string) => `cannot read the file: ${reason}`,
  // hooks
  bypass: (command: string) => `Emergency only: \`${command} --no-verify\` skips this hook — CI runs the same checks and will still refuse it.`,
  commitRefused: 'commit refused by wxo-policy: fix the findings above and commit again (your staged and unstaged changes are untouched).',
  pushRefused: 'push refused by wxo-policy: fix the findings above and push again.',
  protectedBranch: (branch: string, env: string) =>
    `direct commits to ${branch} (environment ${env}) are not allowed: changes reach environment branches by merge (promotion) or revert.`,
  protectedBranchHint: (branch: string) =>
    `Move your staged work to a branch and open a pull request: \`git switch -c feature/<name>\` then \`git commit\` (the staged changes come along). Merges into ${branch} are allowed.`,
  unknownHook: (name: string, known: readonly string[]) => `unknown hook "${name}" (known: ${known.join(', ')})`,
  prePushInput: (line: string) => `unexpected pre-push input line: "${line}"`,
  lintStagedFailed: 'lint-staged reported problems (your own linters, configured in the lint-staged configuration).',
};
