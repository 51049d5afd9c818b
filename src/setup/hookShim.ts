import type { HookName } from '../hooks/names.js';
import { messages } from '../messages.js';

/**
 * The shim `init` writes to .husky/<hook> for each of HOOK_NAMES: the same lines for every hook
 * (only the name differs), handing over to `wxo-policy hook <hook>` through the launcher `install`
 * writes, plus a hook's own prelude where it has one.
 */
const PRELUDE: Partial<Record<HookName, string>> = {
  'post-commit': `# Only a merge commit or a revert concerns it: an ordinary commit costs two git calls and no node
# process (plain sh: a GUI client's PATH may have git and sh and little else).
if ! git rev-parse -q --verify 'HEAD^2' >/dev/null 2>&1; then
  revert=
  while IFS= read -r line; do
    case $line in "This reverts commit "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*) revert=1 ;; esac
  done <<MESSAGE
$(git log -1 --no-show-signature --format=%B 2>/dev/null)
MESSAGE
  [ -n "$revert" ] || exit 0
fi`,
};

export function hookShim(hook: HookName): string {
  const prelude = PRELUDE[hook];
  return [
    `# wxo-policy: hands over to \`wxo-policy hook ${hook}\` (README, "Hooks").`,
    ...(prelude ? [prelude] : []),
    '# The launcher written by `wxo-policy install` knows where node is, so GUI git clients work too.',
    'l="$(git rev-parse --git-common-dir)/wxo-policy/run"',
    '[ -x "$l" ] || l=wxo-policy',
    `command -v "$l" >/dev/null 2>&1 || { echo "${messages.hookNotInstalled}" >&2; exit 1; }`,
    `exec "$l" hook ${hook} "$@"`,
    '',
  ].join('\n');
}
