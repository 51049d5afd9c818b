import { isUnsignedJwt } from '../../../secretValue/placeholder.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * Signed JSON Web Tokens (bearer tokens that work until they expire). Unsigned tokens
 * (`alg: none`, empty signature) carry no authority and are not reported.
 */
const PATTERN = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.([A-Za-z0-9_-]*)/g;

export const jwt: TextDetector = {
  id: 'wxo/jwt',
  // `eyJ` itself is slow to search for: V8 scans for its first letter, the commonest one in prose.
  trigger: /yJ/,
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PATTERN)) {
      const signature = m[1] ?? '';
      if (signature.length < 16 || isUnsignedJwt(m[0])) continue;
      out.push({ detector: this.id, label: 'signed JSON Web Token', start: m.index!, end: m.index! + m[0].length, value: m[0] });
    }
    return out;
  },
};
