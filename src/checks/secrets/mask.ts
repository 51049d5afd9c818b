import { createHash } from 'node:crypto';

/**
 * How a secret is shown: never its characters beyond a well-known, non-secret prefix, plus its
 * length so two findings can be told apart.
 */
const PUBLIC_PREFIXES = /^(AKIA|ASIA|A3T[A-Z0-9]|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[bpaor]-|xapp-|npm_|sk-ant-|sk-|SG\.|shp(?:pa|ca|at|ss)_|lin_api_|ops_|eyJ|-----BEGIN [A-Z ]*-----|[a-z+]+:\/\/)/;

export function maskSecret(value: string): string {
  const prefix = PUBLIC_PREFIXES.exec(value)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.min(8, Math.max(4, value.length - prefix.length)))} (${value.length} chars)`;
}

/** The suppression key of a matched value: sha256, hex. Shown with findings, stored in the policy. */
export function valueHash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
