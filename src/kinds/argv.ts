/**
 * Values in `orchestrate` argv that a committed file can choose (paths, names) must never read as
 * options. Click (the ADK's typer) takes the token after a value option as its value even when it
 * starts with `-` (`-f --help.yaml` is the file), and it takes `--` there as the value — so `--`
 * cannot protect an option value. But the ADK also scans `sys.argv` for a bare `--debug` token
 * (core/utils/exceptions.py:16, clients/common/utils.py:321: a BadRequest then does not exit, errors
 * re-raise with a stack trace), and other wrappers may be less careful than click. So a value that
 * starts with `-` never becomes a token of its own:
 *   - a path gets `./` (the same file for every parser);
 *   - a name is attached to its long option (`--name=-x`), which click reads as that value;
 *   - a positional gets `--` before it (click's end of options).
 * Values that do not start with `-` are passed as they always were.
 */

/** The long spelling of every short value option the deploy uses with a name (scripts/adk-cli/surface.json). */
const LONG_OF: Readonly<Record<string, string>> = {
  '-n': '--name',
  '-a': '--app-id',
  '-f': '--file',
  '-r': '--requirements-file',
  '-p': '--package-root',
  '-u': '--url',
  '-k': '--kind',
};

const optionLike = (value: string) => value.startsWith('-');

/** A repository path as an option value: `./--help.yaml`, never `--help.yaml`. */
export const pathValue = (path: string): string => (optionLike(path) ? `./${path}` : path);

/** `flag path`, the path made unmistakable. */
export const pathOption = (flag: string, path: string): string[] => [flag, pathValue(path)];

/** `flag name`, or `--long=name` when the name starts with `-`. */
export function nameOption(flag: string, name: string): string[] {
  if (!optionLike(name)) return [flag, name];
  const long = flag.startsWith('--') ? flag : LONG_OF[flag];
  if (!long) throw new Error(`no long form known for ${flag}`);
  return [`${long}=${name}`];
}

/** Positionals after the options, behind `--` when one of them starts with `-`. */
export const positionals = (...values: string[]): string[] => (values.some(optionLike) ? ['--', ...values] : values);
