import { palette, useColor, type Palette } from './colors.js';

/**
 * Where a use case (a hook, promote, a command) runs and writes: its directory, its environment and
 * its three streams. The CLI implements it with the process's own (cli/main.ts), tests with theirs;
 * use cases print through `out` and `err` here and never import cli/.
 */
export interface ConsoleIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export const out = (io: ConsoleIO, text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const err = (io: ConsoleIO, text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
export const colorsFor = (io: ConsoleIO, stream: 'stdout' | 'stderr' = 'stdout'): Palette => palette(useColor(io[stream], io.env));
