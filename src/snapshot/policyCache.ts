import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { safeWriteFile } from '../fs/safeWrite.js';
import { git } from '../git/git.js';
import { messages } from '../messages.js';
import type { SnapshotSource } from './snapshot.js';
import { TOOL_VERSION } from '../version.js';
import { POLICY_FILE, type Policy } from '../policy/model.js';

/**
 * Parsing and validating the policy costs more than everything else a merge driver or a small
 * hook does (the YAML library and the schema validators take tens of milliseconds to load). A
 * valid policy is kept as JSON in the git dir, keyed by its text and the tool version; an invalid
 * one is never cached. This module stays light on purpose: it must not import the YAML parser —
 * loadPolicyAt (loadPolicy.ts) loads it only on a cache miss.
 */
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('../../policies/default.yaml', import.meta.url));

let defaultText: string | undefined;
/** The built-in default policy's text (read once): what a policy file is merged into. */
export function defaultPolicyText(): string {
  defaultText ??= readFileSync(DEFAULT_POLICY_PATH, 'utf8');
  return defaultText;
}

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
    safeWriteFile(cacheDir, file, JSON.stringify(policy));
  } catch {
    // a read-only git dir only costs speed
  }
}

/** The policy text in force for a snapshot and where it came from (the built-in default when there is none). */
export function policyText(
  root: string,
  source: SnapshotSource,
  notify: (message: string) => void = () => {},
): { text: string; origin: string } {
  const text = readPolicyText(root, source);
  if (text === undefined) {
    notify(messages.policyDefaultUsed);
    return { text: defaultPolicyText(), origin: 'built-in default' };
  }
  return { text, origin: source.type === 'commit' ? `${source.rev.slice(0, 12)}:${POLICY_FILE}` : POLICY_FILE };
}

export function readPolicyText(root: string, source: SnapshotSource): string | undefined {
  if (source.type === 'worktree') {
    const path = join(root, POLICY_FILE);
    if (!existsSync(path)) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(messages.policyUnreadable(path, (e as Error).message));
    }
  }
  const spec = source.type === 'index' ? `:${POLICY_FILE}` : `${source.rev}:${POLICY_FILE}`;
  const result = git(root, ['cat-file', '-p', spec], { allowFailure: true });
  return result.status === 0 ? result.stdout : undefined;
}
