import { isPlaceholderValue } from '../../../secretValue/placeholder.js';
import { isKeyStructure } from '../../../secretValue/privateKeyBody.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * PEM private keys of every algorithm. secretlint's rule only accepts bodies that start with
 * `MI` (RSA and long EC keys); a PKCS#8 Ed25519 key (`MC4C…`) or a SEC1 EC P-256 key (`MHcC…`)
 * passed. Any base64 body between a BEGIN … PRIVATE KEY line and its END line is one here.
 */
const PEM = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----([A-Za-z0-9+/=\s:,-]{16,16384}?)-----END \1PRIVATE KEY\2-----/g;

export const privateKey: TextDetector = {
  id: 'wxo/private-key',
  trigger: /PRIVATE KEY/,
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PEM)) {
      const body = m[3]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, ''); // headers (Proc-Type …) aside
      if (body.length < 16 || (!isKeyStructure(body) && isPlaceholderValue(body))) continue;
      out.push({ detector: this.id, label: `${m[1] ?? ''}private key`.trim(), start: m.index!, end: m.index! + m[0].length, value: m[0] });
    }
    return out;
  },
};
