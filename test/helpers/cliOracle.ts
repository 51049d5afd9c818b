import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';

/**
 * The CLI oracle (scripts/adk-cli/surface.json, extracted from the ADK's typer source by
 * scripts/adk-cli/extract.py) as a judge of argv: does the real `orchestrate` accept it, and would
 * it prompt? The stand-in applies the same rules at run time; this is the same check without a
 * process, for every argv the planner can produce.
 */
export interface OracleOption {
  name: string;
  flags: string[];
  offFlags?: string[];
  type: 'str' | 'bool' | 'int' | 'float';
  required: boolean;
  multiple?: boolean;
  choices?: string[];
  hidden?: boolean;
  mustExist?: boolean;
}

export interface OracleCommand {
  source: string;
  options: OracleOption[];
  arguments: { name: string; required: boolean; choices?: string[] }[];
  hidden?: boolean;
  prompts?: { site: string; call: string; guards: string[]; avoidedBy?: string[]; onlyWith?: string[] }[];
}

export interface Surface {
  adkVersion: string;
  groups: string[];
  commands: Record<string, OracleCommand>;
}

export const SURFACE_PATH = join(PROJECT_ROOT, 'scripts', 'adk-cli', 'surface.json');
export const surface = (): Surface => JSON.parse(readFileSync(SURFACE_PATH, 'utf8')) as Surface;

export interface Judged {
  command: string;
  /** Option values by parameter name. */
  opts: Record<string, string | string[] | boolean>;
  args: string[];
}

/** Why typer would refuse the argv (exit 2), or the parsed call. Files are not checked (mustExist). */
export function judgeArgv(argv: readonly string[], s: Surface = surface()): { error: string } | Judged {
  const rest = [...argv];
  const words: string[] = [];
  let record: OracleCommand | undefined;
  while (rest.length && !rest[0]!.startsWith('-')) {
    const candidate = [...words, rest[0]].join(' ');
    words.push(rest.shift()!);
    if (s.commands[candidate]) {
      record = s.commands[candidate];
      break;
    }
    if (!s.groups.includes(candidate)) return { error: `No such command '${words[words.length - 1]}'.` };
  }
  if (!record) return { error: `not a command: ${words.join(' ')}` };
  const byFlag = new Map<string, { o: OracleOption; on: boolean }>();
  for (const o of record.options) {
    for (const f of o.flags) byFlag.set(f, { o, on: true });
    for (const f of o.offFlags ?? []) byFlag.set(f, { o, on: false });
  }
  const opts: Judged['opts'] = {};
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('-')) {
      args.push(token);
      continue;
    }
    const hit = byFlag.get(token);
    if (!hit) return { error: `No such option: ${token}` };
    if (hit.o.type === 'bool') {
      opts[hit.o.name] = hit.on;
      continue;
    }
    const value = rest[++i];
    if (value === undefined) return { error: `Option '${token}' requires an argument.` };
    if (hit.o.choices && !hit.o.choices.includes(value))
      return { error: `Invalid value for '${token}': '${value}' is not one of ${hit.o.choices.join(', ')}.` };
    if (hit.o.multiple) ((opts[hit.o.name] ??= []) as string[]).push(value);
    else if (opts[hit.o.name] !== undefined) return { error: `${token} given twice (typer keeps the last; the planner never means that)` };
    else opts[hit.o.name] = value;
  }
  for (const o of record.options)
    if (o.required && opts[o.name] === undefined) return { error: `Missing option '${o.flags.join("' / '")}'.` };
  if (args.length > record.arguments.length)
    return { error: `Got unexpected extra argument (${args.slice(record.arguments.length).join(' ')})` };
  for (const [i, a] of record.arguments.entries())
    if (a.required && args[i] === undefined) return { error: `Missing argument '${a.name.toUpperCase()}'.` };
  return { command: words.join(' '), opts, args };
}

/**
 * The prompts of a command the given options do not avoid: a prompt guarded by `not --yes` is
 * avoided by --yes; one that only happens with `--safe` does not happen without it. Prompts that
 * depend on the tenant's state (env add of an existing name, env remove of the active one) are
 * returned too: the caller decides whether that state can arise.
 */
export function unavoidedPrompts(judged: Judged, s: Surface = surface()): string[] {
  const record = s.commands[judged.command]!;
  const given = new Set(
    record.options.filter((o) => judged.opts[o.name] !== undefined && judged.opts[o.name] !== false).map((o) => o.flags[0]!),
  );
  const out: string[] = [];
  for (const p of record.prompts ?? []) {
    if (p.onlyWith?.some((f) => !given.has(f))) continue;
    if (p.avoidedBy?.some((f) => given.has(f))) continue;
    out.push(`${p.site} (${p.call}${p.guards.length ? ` when ${p.guards.join(' and ')}` : ''})`);
  }
  return out;
}

export const adkSourceAvailable = (src = process.env.ADK_SRC ?? join(PROJECT_ROOT, '..', 'shared', 'adk', 'source')) =>
  existsSync(join(src, 'src', 'ibm_watsonx_orchestrate', 'cli', 'main.py'));
