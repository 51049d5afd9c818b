import { createHash, createHmac } from 'node:crypto';
import { entropy } from './placeholder.js';

/**
 * How a secret is shown: never its characters beyond a well-known, non-secret prefix, plus its
 * length so two findings can be told apart.
 */
const PUBLIC_PREFIXES =
  /^(AKIA|ASIA|A3T[A-Z0-9]|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[bpaor]-|xapp-|npm_|sk-ant-|sk-|SG\.|shp(?:pa|ca|at|ss)_|lin_api_|ops_|eyJ|-----BEGIN [A-Z ]*-----|[a-z+]+:\/\/)/;

export function maskSecret(value: string): string {
  const prefix = PUBLIC_PREFIXES.exec(value)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.min(8, Math.max(4, value.length - prefix.length)))} (${value.length} chars)`;
}

/**
 * The suppression key of a matched value, hex: HMAC-SHA256 with the repository's key
 * (secrets.hash_key) — a CI artifact shows it, and a plain SHA-256 of a weak password is reversed
 * with a word list — or, without a key, the plain SHA-256 of earlier versions.
 */
export function valueHash(value: string, key?: string): string {
  return key ? createHmac('sha256', key).update(value).digest('hex') : createHash('sha256').update(value).digest('hex');
}

/**
 * What a finding carries about its value: the hash, and — when a key is set and an allowlist
 * entry still holds the plain SHA-256 of this value (written before the key) — that entry's hash,
 * so it keeps suppressing while check asks for it to be replaced. Only hashes already in the
 * policy are carried; the plain hash of the value itself never leaves this function.
 */
export function findingHash(
  value: string,
  key: string | undefined,
  entries: readonly { hash: string }[],
): { hash: string; legacySuppression?: string } {
  const hash = valueHash(value, key);
  if (!key || entries.length === 0) return { hash };
  const plain = valueHash(value);
  const legacy = entries.find((e) => plain.startsWith(e.hash));
  return legacy ? { hash, legacySuppression: legacy.hash } : { hash };
}

/** Keys whose values are credentials or hold them, whatever the policy's credential_keys say. */
const CREDENTIAL_PATH = /pass|pwd|secret|token|key|cred|auth|private|cert|cookie|session|bearer|signature/i;
/** …but not the keys that say something about a credential (auth_type, token_url, key_name). */
const ABOUT_A_CREDENTIAL = /(?:^|[_-])(?:type|scheme|mode|url|uri|name|id|method|provider|kind|style|header|endpoint|expiry|ttl|format)$/i;
const credentialSegment = (s: string) => CREDENTIAL_PATH.test(s) && !ABOUT_A_CREDENTIAL.test(s);

/**
 * A value as a message may show it: quoted only when it cannot be a credential — not under a
 * credential-like key, a short word-like string (an enum typo, a name) rather than something random.
 * Otherwise its type and length: messages name the path and the type, never a secret's characters.
 */
export function describeLiteral(value: unknown, path: readonly string[] = []): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'boolean' || (typeof value === 'number' && !path.some(credentialSegment))) return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = String(value);
  return mayQuote(text, path) ? `"${text}"` : `a ${typeof value} of ${text.length} characters`;
}

export function mayQuote(text: string, path: readonly string[] = []): boolean {
  if (path.some(credentialSegment)) return false;
  if (!/^[A-Za-z0-9][\w .:/@-]{0,47}$/.test(text)) return false;
  const random = text.length >= 8 && /\d/.test(text) && /[A-Za-z]/.test(text) && entropy(text) >= 3;
  return !random;
}
