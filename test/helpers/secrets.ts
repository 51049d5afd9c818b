import { randomBytes } from 'node:crypto';

/**
 * Fake secrets, assembled at run time so that no literal in this repository looks like one to a
 * scanner (including wxo-policy itself). Every value is random: none of them is a real credential.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function randomChars(n: number, alphabet = ALNUM): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export const fake = {
  /** A random password-like string (mixed case, digits, no placeholder words). */
  password: () => `${randomChars(6)}${randomChars(2, '0123456789')}${randomChars(6)}`,
  githubToken: () => ['g', 'h', 'p', '_'].join('') + randomChars(36),
  awsAccessKeyId: () => ['A', 'K', 'I', 'A'].join('') + randomChars(16, UPPER_DIGITS),
  ibmApiKey: () => randomChars(20) + randomChars(4, '0123456789') + randomChars(20, ALNUM + '_-'),
  slackToken: () => ['xo', 'xb-'].join('') + `${randomChars(11, '0123456789')}-${randomChars(12, '0123456789')}-${randomChars(24)}`,
};
