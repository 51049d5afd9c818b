/**
 * The git hooks wxo-policy installs (.husky/<name> hands over to `wxo-policy hook <name>`). A leaf
 * module: `hook` reads it on every commit, so it imports nothing.
 */
export const HOOK_NAMES = ['pre-commit', 'pre-push', 'pre-merge-commit', 'post-merge', 'post-commit'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** Hooks older versions of `init` installed and that do nothing now; their shims still call in. */
export const RETIRED_HOOKS: readonly string[] = ['post-rewrite'];
