import { entropy, isPlaceholderValue } from '../placeholder.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * `password = "…"`, `API_TOKEN: '…'`, `client_secret="…"` in code and config files that are not
 * YAML/JSON (those are judged structurally by the credential-key check). A value must look
 * random enough to be a credential; URLs, names and placeholders are left alone.
 */
const PATTERN =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key)[A-Za-z0-9_]*)["']?\s*(?::=|=|:)\s*(?:[rbf]?)(["'`])([^"'`\s]{8,200})\2/gi;
/** Names that hold something about a credential, not the credential itself. */
const NOT_A_CREDENTIAL = /(?:_|-)?(?:url|uri|type|name|id|path|file|env|var|header|endpoint|field|length|expiry|expires|ttl|prefix|kind|mode|scope|label|ref)$/i;

export const credentialAssignment: TextDetector = {
  id: 'wxo/credential-assignment',
  trigger: /passw|pwd|secret|token|api[_-]?key|private[_-]?key/i,
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PATTERN)) {
      const name = m[1]!;
      const value = m[3]!;
      if (NOT_A_CREDENTIAL.test(name) || /^[a-z+]+:\/\//i.test(value) || isPlaceholderValue(value)) continue;
      if (entropy(value) < 3 || /^[a-z_]+$/i.test(value)) continue;
      const start = m.index! + m[0].lastIndexOf(value);
      out.push({ detector: this.id, label: `credential assigned to "${name}"`, start, end: start + value.length, value });
    }
    return out;
  },
};
