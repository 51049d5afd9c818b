import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';

/** parseArgs with usage errors instead of exceptions a user would see as a crash. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
  allowPositionals = true,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), `usage: ${usage}`);
  }
  for (const name of NAME_OPTIONS) {
    const value = (parsed.values as Record<string, unknown>)[name];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && v.startsWith('-')) throw new UsageError(messages.optionValueLooksLikeOption(name, v), `usage: ${usage}`);
    }
  }
  return parsed;
}

/**
 * Options whose values become git or orchestrate arguments (remotes, branches, revisions,
 * environments): a value starting with `-` would be read there as an option
 * (`--remote=--upload-pack=…` runs a command), so it is refused here, once for every command.
 */
const NAME_OPTIONS = ['remote', 'branch', 'target', 'from', 'to', 'since', 'range', 'env', 'tenant'] as const;

export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} needs an integer >= ${min}, not "${value}"`);
  return n;
}
