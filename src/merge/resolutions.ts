import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Cross-tenant resolutions of the current merge (which file, which side was kept), written by
 * the driver and the pre-merge-commit guard, read by the hooks and `status` to tell the user.
 */
export interface Resolution {
  file: string;
  source: string;
  target: string;
  kept: 'target';
  by: 'merge-driver' | 'pre-merge-commit' | 'promote';
  at: string;
}

const file = (gitDir: string) => join(gitDir, 'wxo-policy', 'merge-resolutions.jsonl');

export function recordResolution(gitDir: string, r: Omit<Resolution, 'at'>): void {
  mkdirSync(join(gitDir, 'wxo-policy'), { recursive: true });
  appendFileSync(file(gitDir), `${JSON.stringify({ ...r, at: new Date().toISOString() })}\n`);
}

export function readResolutions(gitDir: string): Resolution[] {
  if (!existsSync(file(gitDir))) return [];
  return readFileSync(file(gitDir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Resolution];
      } catch {
        return [];
      }
    });
}

export function clearResolutions(gitDir: string): void {
  rmSync(file(gitDir), { force: true });
}
