import type { ConsoleIO } from '../report/console.js';

/** What a command gets from the CLI: the console it runs in (report/console.ts). */
export type CliContext = ConsoleIO;

export interface CommandModule {
  summary: string;
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
