/**
 * Whether a PEM private key's body is a key by its own structure. The placeholder words (`todo`,
 * `fake`, `xxxx` …) turn up by chance in the random base64 of about one real 2048-bit RSA key in
 * 200, so the placeholder test alone would drop real keys; a body that decodes to a key's structure
 * is a key whatever letters it holds. A placeholder body (`xxxx…`, `TODO-paste-here`,
 * `MIIE…-REDACTED-`) has none of these shapes and is still judged by the placeholder test.
 */

const PEM_BODY = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----([\s\S]{16,16384}?)-----END \1PRIVATE KEY\2-----/;

/** The body of the first PEM private key block in `text`, headers, line breaks and `\n` escapes aside. */
export function privateKeyBody(text: string): string | undefined {
  const m = PEM_BODY.exec(text);
  if (!m) return undefined;
  return m[3]!
    .replace(/\\[nr]/g, '\n') // a key kept in a JSON or YAML string with escaped line breaks
    .replace(/^[A-Za-z-]+:.*$/gm, '') // headers (Proc-Type, Version …)
    .replace(/\s+/g, '');
}

/**
 * Recognised: a DER SEQUENCE whose length is exactly the body's (PKCS#1, PKCS#8, SEC1), OpenSSH's
 * `openssh-key-v1`, and an OpenPGP secret-key packet (after the armour's `=XXXX` checksum).
 */
export function isKeyStructure(body: string): boolean {
  const armour = body.replace(/=[A-Za-z0-9+/]{4}$/, ''); // OpenPGP's CRC-24 line
  for (const b64 of armour === body ? [body] : [body, armour]) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) continue;
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length < 32) continue;
    if (bytes.subarray(0, 15).toString('latin1') === 'openssh-key-v1\0') return true;
    const tag = bytes[0]!;
    if (b64 !== body && (tag === 0xc5 || (tag & 0xfc) === 0x94)) return true;
    if (tag === 0x30 && derLength(bytes) === bytes.length) return true;
  }
  return false;
}

/** The total length a DER SEQUENCE header announces (header included), or -1. */
function derLength(der: Buffer): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const size = first & 0x7f;
  if (size < 1 || size > 3 || der.length < 2 + size) return -1;
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + der[2 + i]!;
  return 2 + size + n;
}
