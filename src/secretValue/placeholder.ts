import { isKeyStructure, privateKeyBody } from './privateKeyBody.js';

/**
 * Values that look like credentials but are not: placeholders, documentation examples and
 * dummies. Shared by every detector so they agree on what a decoy is.
 */
const PLACEHOLDER_WORDS =
  /(example|sample|dummy|placeholder|changeme|change[-_ ]?me|your[-_ ]?(own[-_ ]?)?(api[-_ ]?)?(key|token|secret|password|pass)|replace[-_ ]?(me|with)|redacted|not[-_ ]?a[-_ ]?(real[-_ ]?)?(secret|key|token)|fake|xxxx|\*\*\*\*|<[a-z][a-z0-9 _.-]*>|todo|insert[-_ ]?here|lorem)/gi;

/**
 * `fake`, `todo`, `xxxx`: four letters turn up by chance inside a random token (one 40-character
 * key in ~10,000 holds one; one 2048-bit RSA body in ~200). Such a mark counts where a person puts
 * it — at the start or end of its run of letters and digits (`sk-fake-1234`, `FAKEKEY`,
 * `tokenTODO`) or in a run that is not random (`mytodolist`, `NOTAREALFAKEKEY`) — not in the
 * middle of a random one. The longer words (example, placeholder, lorem …) do not come by chance.
 */
const CHANCE_MARK = /^(?:fake|todo|xxxx)$/i;
function hasPlaceholderWord(value: string): boolean {
  for (const m of value.matchAll(PLACEHOLDER_WORDS)) {
    if (!CHANCE_MARK.test(m[0])) return true;
    const start = m.index;
    const end = start + m[0].length;
    let runStart = start;
    let runEnd = end;
    while (runStart > 0 && isAlnum(value.charCodeAt(runStart - 1))) runStart--;
    while (runEnd < value.length && isAlnum(value.charCodeAt(runEnd))) runEnd++;
    if (start === runStart || end === runEnd) return true;
    if (!looksRandom(value.slice(runStart, runEnd))) return true;
  }
  return false;
}

/** Random tokens mix letters of both cases and digits; words glued together (`notarealfakekey`) do not. */
function looksRandom(run: string): boolean {
  const classes = Number(/[a-z]/.test(run)) + Number(/[A-Z]/.test(run)) + Number(/[0-9]/.test(run));
  return run.length >= 8 && classes >= 2 && entropy(run) >= 3;
}
const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * `${NAME}`, `${values.x}`, `{{ var }}`, `$VAR`, `%VAR%`, `os.environ[...]`, or the NAME_OF_A_SECRET
 * itself (`api_key_secret: WXO_PROD_API_KEY`) — a reference, not a value.
 */
const REFERENCE =
  /^\$\{[^}]+\}$|^\{\{[^}]+\}\}$|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_][A-Z0-9_]*%$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|environ|getenv|process\.env/;

export function isPlaceholderValue(value: string): boolean {
  // A match may run into the markup around it (`…@db/app</code></pre>`): judge the value alone.
  const v = value.trim().replace(/<\/[a-z][a-z0-9]*>.*$/is, '');
  if (v.length === 0) return true;
  if (REFERENCE.test(v)) return true;
  if (v.includes('PRIVATE KEY') && isKeyStructure(privateKeyBody(v) ?? '')) return false;
  if (hasPlaceholderWord(v)) return true;
  if (/^(.)\1+$/.test(v)) return true; // "xxxxxxxx", "00000000"
  if (isUnsignedJwt(v)) return true;
  if (isTestFixtureValue(v)) return true;
  if (YOUR_DUMMY.test(v) || CREDENTIAL_WORD.test(v) || isJwtHeaderOnly(v)) return true;
  return false;
}

/**
 * Dummies of the ADK's examples: `your-deepgram-api-key`, `xoxb-your-bot-token`, `your-jwt-token-here`
 * (a "your" and a credential word, only lower-case words between), and the bare credential word as
 * the value (`PASS`).
 */
const YOUR_DUMMY = /(?:^|[-_])[Yy]our[-_ ](?:[a-z]{2,20}[-_ ]){0,4}(?:api[-_ ]?)?(?:key|token|secret|password|pass)(?:[-_ ]here)?$/;
const CREDENTIAL_WORD = /^(?:pass|passwd|password|secret|token|api[-_ ]?key|key)$/i;

/** `eyJhbGciOi…J9...`: a JWT's header alone (public: the algorithm), as documentation elides tokens. */
function isJwtHeaderOnly(value: string): boolean {
  const header = value.replace(/(?:\.{2,}|…)$/, '');
  if (!header.startsWith('eyJ') || header.includes('.')) return false;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof parsed.alg === 'string';
  } catch {
    return false;
  }
}

/** Words that mark a value as a test fixture when nothing random stands next to them. */
const FIXTURE_WORD = /test|dummy|fake|mock|fixture|sample|example/i;

/**
 * `xoxb-test-token`, `ghp_testtesttest…`, `test-api-key`: a fixture word, and no run of 8 or more
 * letters and digits random enough to be a credential (entropy ≥ 3 bits a character). A real
 * token that happens to contain "test" keeps its random part, and is still reported.
 */
export function isTestFixtureValue(value: string): boolean {
  if (!FIXTURE_WORD.test(value)) return false;
  for (const run of value.split(/[^A-Za-z0-9]+/)) if (run.length >= 8 && entropy(run) >= 3) return false;
  return true;
}

/** Shannon entropy in bits per character: random tokens score high, words and sentences low. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A JWT with `alg: none` or no signature carries no authority, whatever name it is stored under. */
export function isUnsignedJwt(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 3 || !parts[0]!.startsWith('eyJ')) return false;
  if (parts[2] === '') return true;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' && header.alg.toLowerCase() === 'none';
  } catch {
    return false;
  }
}
