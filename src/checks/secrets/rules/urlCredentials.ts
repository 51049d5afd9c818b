import { isPlaceholderValue } from '../../../secretValue/placeholder.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * A password inside a URL (`https://user:pass@host`, `amqp://…`, `redis://…`). secretlint's
 * basic-auth rule only accepts top-level domains of up to six letters, so internal hosts
 * (`crm.corp.internal`, `db.service.consul`) and bare hostnames slip through; this one does not.
 */
const PATTERN =
  /\b((?:https?|ftps?|amqps?|redis|rediss|smtps?|ldaps?|sftp|ssh|mqtts?):\/\/)([^\s:/?#@'"<>]{1,128}):([^\s/?#@'"<>]{1,256})@([A-Za-z0-9.-]{1,253})/g;
const URL_WITH_PASSWORD = /:\/\/[^\s/@]{1,128}:[^\s/@]{1,256}@/;
const USER_PLACEHOLDERS = /^(user(name)?|admin|root|test|me|foo)$/i;
const PASSWORD_PLACEHOLDERS = /^(pass(word)?|secret|pwd|changeme|x+)$/i;

export const urlCredentials: TextDetector = {
  id: 'wxo/url-credentials',
  // `://` alone is found three times faster than the pattern; most texts stop there.
  trigger: { test: (text) => text.includes('://') && URL_WITH_PASSWORD.test(text) },
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PATTERN)) {
      const [, , user, password, host] = m as unknown as [string, string, string, string, string];
      if (password.length < 4 || isPlaceholderValue(password) || PASSWORD_PLACEHOLDERS.test(password)) continue;
      if (/^(localhost|127\.0\.0\.1|example\.(com|org|net))$/i.test(host) && USER_PLACEHOLDERS.test(user)) continue;
      const start = m.index! + m[1]!.length + user.length + 1;
      out.push({ detector: this.id, label: 'password in a URL', start, end: start + password.length, value: password });
    }
    return out;
  },
};
