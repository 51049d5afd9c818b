import { entropy, isPlaceholderValue } from '../../../secretValue/placeholder.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * `password = "…"`, `API_TOKEN: '…'`, `client_secret="…"` in code and config files that are not
 * YAML/JSON (those are judged structurally by the credential-key check). A value must look
 * random enough to be a credential; URLs, names and placeholders are left alone.
 */
const CREDENTIAL_NAME = String.raw`(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key)[A-Za-z0-9_]*)["']?\s*`;
/**
 * Found from the assignment outwards: a quoted literal after `=`, `:=` or `:` (rare in prose,
 * cheap to find), then the name just before it. Searching for the names first, as one regex,
 * costs twice as much: they start with common letters.
 */
const QUOTED_ASSIGNMENT = /(?::=|=|:)\s*[rbf]?(["'`])([^"'`\s]{8,200})\1/g;
const NAME_BEFORE = new RegExp(`${CREDENTIAL_NAME}$`, 'i');
/** How far back a name may start: far more than any real identifier. */
const NAME_WINDOW = 300;
/** Names that hold something about a credential, not the credential itself. */
const NOT_A_CREDENTIAL =
  /(?:_|-)?(?:url|uri|type|name|id|path|file|env|var|header|endpoint|field|length|expiry|expires|ttl|prefix|kind|mode|scope|label|ref)$/i;

/**
 * Where the name before an assignment can start: back over `\s*`, one quote and the name's
 * characters, within NAME_WINDOW. NAME_BEFORE can match only inside that run (a name is one run of
 * those characters ending there), so trying it there finds what trying it on the whole window
 * would, without trying every start position of 300 characters of prose.
 */
function nameRunStart(text: string, end: number): number {
  const limit = Math.max(0, end - NAME_WINDOW);
  let j = end;
  while (j > limit && WHITESPACE.test(text[j - 1]!)) j--;
  if (j > limit && (text[j - 1] === '"' || text[j - 1] === "'")) j--;
  while (j > limit && NAME_CHAR.test(text[j - 1]!)) j--;
  return j;
}
const WHITESPACE = /\s/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;

export const credentialAssignment: TextDetector = {
  id: 'wxo/credential-assignment',
  // The assignment itself is what the scan looks for first; no cheaper condition.
  trigger: /[=:]/,
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(QUOTED_ASSIGNMENT)) {
      const name = NAME_BEFORE.exec(text.slice(nameRunStart(text, m.index!), m.index!))?.[1];
      if (!name) continue;
      const value = m[2]!;
      if (NOT_A_CREDENTIAL.test(name) || /^[a-z+]+:\/\//i.test(value) || isPlaceholderValue(value)) continue;
      if (entropy(value) < 3 || /^[a-z_]+$/i.test(value)) continue;
      const start = m.index! + m[0].lastIndexOf(value);
      out.push({ detector: this.id, label: `credential assigned to "${name}"`, start, end: start + value.length, value });
    }
    return out;
  },
};
