import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_VERSION } from '../version.js';
import type { Policy } from './model.js';

/**
 * Parsing and validating the policy costs more than everything else a merge driver or a small
 * hook does (the YAML library alone takes tens of milliseconds to load). A valid policy is kept
 * as JSON in the git dir, keyed by its text and the tool version; an invalid one is never cached.
 * This module stays light on purpose: it must not import the YAML parser.
 */
function cacheFile(cacheDir: string, text: string): string {
  const key = createHash('sha256').update(`${TOOL_VERSION}\0${text}`).digest('hex').slice(0, 32);
  return join(cacheDir, 'wxo-policy', `policy-${key}.json`);
}

export function readCachedPolicy(cacheDir: string, text: string, origin: string): Policy | undefined {
  try {
    return { ...(JSON.parse(readFileSync(cacheFile(cacheDir, text), 'utf8')) as Policy), origin };
  } catch {
    return undefined;
  }
}

export function writeCachedPolicy(cacheDir: string, text: string, policy: Policy): void {
  const file = cacheFile(cacheDir, text);
  try {
    mkdirSync(join(cacheDir, 'wxo-policy'), { recursive: true });
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(policy));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // a read-only git dir only costs speed
  }
}
