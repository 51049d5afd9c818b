import type { HookName } from '../hooks/names.js';
import { messages } from '../messages.js';

/**
 * The shim `init` writes to .husky/<hook> for each of HOOK_NAMES: the same lines for every hook
 * (only the name differs), handing over to `wxo-policy hook <hook>` through the launcher `install`
 * writes, plus a hook's own prelude where it has one.
 */
const PRELUDE: Partial<Record<HookName, string>> = {
  'post-commit': `# Only a merge commit or a revert concerns it: an ordinary commit costs one git call and no node
# process (plain sh: a GUI client's PATH may have git and sh and little else). The first line is the
# commit's parents (two or more: a merge), then its message.
concerns=
parents=
while IFS= read -r line; do
  if [ -z "$parents" ]; then
    parents=read
    case $line in *" "*) concerns=merge ;; esac
  else
    case $line in "This reverts commit "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*) concerns=revert ;; esac
  fi
done <<COMMIT
$(git log -1 --no-show-signature --format=%P%n%B 2>/dev/null)
COMMIT
[ -n "$concerns" ] || exit 0`,
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
