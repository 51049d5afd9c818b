import { resolve } from 'node:path';
import { EXIT, UsageError, WxoError } from '../errors.js';
import { messages } from '../messages.js';
import { TOOL_VERSION } from '../version.js';
import { colorsFor, err, out } from '../report/console.js';
import type { CliContext, CommandModule } from './context.js';
import { closest } from './suggest.js';

/**
 * The CLI: global options (-C like git, --help, --version), then the command, loaded on demand so
 * a hook only pays for the code it runs.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  init: () => import('./commands/init.js'),
  install: () => import('./commands/install.js'),
  doctor: () => import('./commands/doctor.js'),
  check: () => import('./commands/check.js'),
  hook: () => import('./commands/hook.js'),
  'merge-driver': () => import('./commands/merge-driver.js'),
  promote: () => import('./commands/promote.js'),
  plan: () => import('./commands/plan.js'),
  deploy: () => import('./commands/deploy.js'),
  rollback: () => import('./commands/rollback.js'),
  status: () => import('./commands/status.js'),
  drift: () => import('./commands/drift.js'),
  notify: () => import('./commands/notify.js'),
  environment: () => import('./commands/environment.js'),
  protect: () => import('./commands/protect.js'),
  docs: () => import('./commands/docs.js'),
  tutorial: () => import('./commands/tutorial.js'),
};

const HELP_ORDER = [
  'init',
  'install',
  'doctor',
  'check',
  'hook',
  'merge-driver',
  'promote',
  'plan',
  'deploy',
  'rollback',
  'status',
  'drift',
  'notify',
  'environment',
  'protect',
  'docs',
  'tutorial',
];

async function help(ctx: CliContext): Promise<void> {
  const lines = [
    'usage: wxo-policy [-C <dir>] <command> [options]',
    '',
    'Git hooks, repository policy, cross-tenant merge driver and deploy runner for watsonx Orchestrate GitOps.',
    '',
    'commands:',
  ];
  for (const name of HELP_ORDER.filter((n) => COMMANDS[n])) {
    const mod = await COMMANDS[name]!();
    lines.push(`  ${name.padEnd(14)} ${mod.summary}`);
  }
  lines.push(
    '',
    'exit codes: 0 ok, 1 findings or failure, 2 usage, configuration or environment error',
    'Run `wxo-policy <command> --help` for its options.',
  );
  out(ctx, lines.join('\n'));
}

export async function run(argv: string[], base: Omit<CliContext, 'cwd'> & { cwd?: string }): Promise<number> {
  const ctx: CliContext = { ...base, cwd: base.cwd ?? process.cwd() };
  const args = [...argv];
  try {
    while (args.length) {
      const a = args[0]!;
      if (a === '-C') {
        if (args.length < 2) throw new UsageError('-C needs a directory');
        ctx.cwd = resolve(ctx.cwd, args[1]!);
        args.splice(0, 2);
      } else if (a.startsWith('-C') && a.length > 2) {
        ctx.cwd = resolve(ctx.cwd, a.slice(2));
        args.shift();
      } else break;
    }
    const name = args.shift();
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      await help(ctx);
      return name ? EXIT.ok : EXIT.error;
    }
    if (name === '--version' || name === '-V') {
      out(ctx, TOOL_VERSION);
      return EXIT.ok;
    }
    const load = COMMANDS[name];
    if (!load)
      throw new UsageError(
        messages.unknownCommand(name, name.startsWith('-') ? undefined : closest(name, Object.keys(COMMANDS))),
        messages.usageHint,
      );
    const mod = await load();
    if (args.includes('--help') || args.includes('-h')) {
      out(ctx, messages.usageOf(mod.usage));
      return EXIT.ok;
    }
    return await mod.run(args, ctx);
  } catch (e) {
    return reportError(e, ctx);
  }
}

export function reportError(e: unknown, ctx: CliContext): number {
  const c = colorsFor(ctx, 'stderr');
  if (e instanceof WxoError) {
    err(ctx, `${c.red('wxo-policy: error:')} ${e.message}${e.hint ? `\n${c.dim(e.hint)}` : ''}`);
    return e.exitCode;
  }
  const detail = e instanceof Error ? e.message : String(e);
  err(ctx, `${c.red('wxo-policy: error:')} ${messages.internalError(detail)}\n${c.dim(messages.internalErrorHint)}`);
  if (ctx.env.WXO_POLICY_DEBUG && e instanceof Error && e.stack) err(ctx, e.stack);
  return EXIT.error;
}

/** Process entry point (bin/wxo-policy.js). */
export async function main(argv: string[]): Promise<void> {
  const code = await run(argv, { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  process.exitCode = code;
}
