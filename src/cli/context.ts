import { palette, useColor, type Palette } from '../report/colors.js';

/** What a command gets from the CLI: where it runs and where it writes. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export const out = (ctx: CliContext, text: string) => ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const err = (ctx: CliContext, text: string) => ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const colorsFor = (ctx: CliContext, stream: 'stdout' | 'stderr' = 'stdout'): Palette => palette(useColor(ctx[stream], ctx.env));

export interface CommandModule {
  summary: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
