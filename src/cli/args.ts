import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { messages } from '../messages.js';
import { closest } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs with usage errors a person can act on instead of Node's own wording: the option as
 * typed, a "did you mean" where a known option is close, and the command's usage line.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, usage: string, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(describeArgumentError(e as NodeJS.ErrnoException, options, usage), usageHint(usage));
  }
}

/** The first line of a command's usage, and where the rest is. */
export function usageHint(usage: string): string {
  const first = usage.split('\n')[0] ?? usage;
  const command = /^wxo-policy (\S+)/.exec(first)?.[1];
  return `usage: ${first}${command ? `\n${messages.args.moreHelp(command)}` : ''}`;
}

/** Node's parseArgs error, said in our words (pure: the error's code and text, the options). */
export function describeArgumentError(e: { code?: string | undefined; message: string }, options: Options, usage: string): string {
  const m = messages.args;
  const text = e.message.replace(/^TypeError \[[A-Z_]+\]: /, '');
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  const longs = Object.keys(options).map((name) => `--${name}`);
  const shorts = Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
  const command = /^wxo-policy (\S+)/.exec(usage)?.[1] ?? 'this command';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = quoted.split('=')[0]!;
      const name = option.replace(/^-+/, '');
      // --json, --junit …: a value of --format.
      if (options.format && /^(json|junit|sarif|text|properties)$/.test(name)) return m.unknownOption(option, `--format ${name}`);
      return m.unknownOption(option, closest(option, option.startsWith('--') ? longs : [...shorts, ...longs]), longs);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = quoted.split(' ')[0] ?? quoted;
      if (/ambiguous/.test(text)) return m.ambiguousValue(option);
      if (/does not take an argument/.test(text)) return m.takesNoValue(option);
      return m.needsValue(option);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return m.unexpectedArgument(quoted, command);
    default:
      return text;
  }
}

export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(messages.args.notAnInteger(name, min, value));
  return n;
}
