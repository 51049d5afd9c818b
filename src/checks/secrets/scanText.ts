import { credentialAssignment } from './rules/credentialAssignment.js';
import { ibmCloudApiKey } from './rules/ibmCloudApiKey.js';
import { jwt } from './rules/jwt.js';
import { privateKey } from './rules/privateKey.js';
import { urlCredentials } from './rules/urlCredentials.js';
import { isPlaceholderValue } from '../../secretValue/placeholder.js';
import { secretlintScan } from './secretlintAdapter.js';
import type { SecretMatch, TextDetector } from './types.js';

/**
 * Necessary conditions for any secretlint recommended rule to report (derived from the rules'
 * own patterns in secretlint 11.7): a text matching none cannot produce a secretlint finding, so
 * secretlint only runs where one matches. Most files of a GitOps repository match none.
 *
 * The literals are AKIA-style AWS key ids, PRIVATE KEY, SG., T3BlbkFJ and npm_, _authToken=,
 * x-oauth-basic, xox?-, xapp-, shp??_, gh?_, github_pat_, sk-ant-api0, lin_api_, ops_ey,
 * private_key_id. Written as one plain alternation, the lowercase ones start with common letters
 * and cost irregexp a try at most positions of every file; anchored on their `_` or `-` (rarer)
 * and looking behind, the same set is found three times faster. test/core.test.ts tries every
 * literal, and near misses.
 */
const SECRETLINT_TRIGGER_UPPER = /A(?:3T[A-Z0-9]|KIA|GPA|IDA|ROA|IPA|NPA|NVA|SIA)|PRIVATE KEY|SG\.|T3BlbkFJ/;
const SECRETLINT_TRIGGER_LOWER =
  /_(?:(?<=npm_|gh[pousr]_|github_pat_|lin_api_|shp(?:pa|ca|at|ss)_|ops_(?=ey)|private_(?=key_id))|authToken=)|-(?<=sk-(?=ant-api0)|x-(?=oauth-basic)|xox[bpaor]-|xapp-)/;
/**
 * `secret_?access_?key|account_?(?:id)?["']?\s*(?::|=>|=)` (case-insensitive), found from the `cc`
 * both words have and checked backwards from there: `cc` is rare, `s` and `a` start every other word.
 */
const SECRETLINT_TRIGGER_I = /cc(?:(?<=secret_?acc)ess_?key|(?<=acc)ount_?(?:id)?["']?\s*(?::|=>|=))/i;
/** The URL-shaped rules (basic auth, Slack webhooks, database URLs): only where `://` occurs. */
const SECRETLINT_TRIGGER_URL = /(?:https?|ftps?):\/\/[-\w]+:[-\w]+@|hooks\.slack\.com|(?:mongodb(?:\+srv)?|mysqlx?|postgres(?:ql)?):\/\//i;

/** Whether secretlint could report anything on this text. */
export function mayInterestSecretlint(text: string): boolean {
  return (
    SECRETLINT_TRIGGER_UPPER.test(text) ||
    SECRETLINT_TRIGGER_LOWER.test(text) ||
    SECRETLINT_TRIGGER_I.test(text) ||
    (text.includes('://') && SECRETLINT_TRIGGER_URL.test(text))
  );
}

export interface ScanOptions {
  /** YAML/JSON files get the structural credential-key check instead of the assignment heuristic. */
  structured: boolean;
  secretlint: boolean;
}

export async function scanText(text: string, path: string, options: ScanOptions): Promise<SecretMatch[]> {
  const detectors: TextDetector[] = options.structured
    ? [ibmCloudApiKey, jwt, urlCredentials, privateKey]
    : [ibmCloudApiKey, jwt, urlCredentials, privateKey, credentialAssignment];
  const found: SecretMatch[] = [];
  for (const d of detectors) if (d.trigger.test(text)) found.push(...d.scan(text));
  if (options.secretlint && mayInterestSecretlint(text)) {
    for (const m of await secretlintScan(text, path)) if (!isPlaceholderValue(credentialPart(m.value))) found.push(m);
  }
  return dedupe(found);
}

/** For a URL with credentials, what decides whether it is a placeholder is the password, not the host. */
function credentialPart(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:([^@\s]*)@/i.exec(value)?.[1] ?? value;
}

/** One finding per place: overlapping matches (a key found by two detectors) keep the first. */
export function dedupe(matches: SecretMatch[]): SecretMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretMatch[] = [];
  for (const m of sorted) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) continue;
    out.push(m);
  }
  return out;
}
