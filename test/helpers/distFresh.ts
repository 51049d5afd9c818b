import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';

/**
 * Global set-up of the end-to-end tests: they drive the built CLI (dist/), so a dist/ older than
 * the sources it is built from would test yesterday's code and pass. Refuse to run instead.
 */
function newest(dir: string, wanted: RegExp): { path: string; mtime: number } {
  let best = { path: dir, mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newest(path, wanted) : wanted.test(entry.name) ? { path, mtime: statSync(path).mtimeMs } : best;
    if (candidate.mtime > best.mtime) best = candidate;
  }
  return best;
}

export function distIsStale(root = PROJECT_ROOT): string | undefined {
  let built: number;
  try {
    built = statSync(join(root, 'dist', 'build-id.txt')).mtimeMs;
  } catch {
    return 'dist/ is not built: run `npm run build` first';
  }
  const source = [newest(join(root, 'src'), /\.(ts|js)$/), newest(join(root, 'schemas'), /\.json$/)].sort((a, b) => b.mtime - a.mtime)[0]!;
  return source.mtime > built
    ? `dist/ is older than ${source.path.slice(root.length + 1)}: run \`npm run build\` first (the end-to-end tests drive the built CLI)`
    : undefined;
}

export default function setup(): void {
  const stale = distIsStale();
  if (stale) throw new Error(stale);
}
