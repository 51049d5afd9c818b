import { isPlaceholderValue } from '../../../secretValue/placeholder.js';
import type { SecretMatch, TextDetector } from '../types.js';

/**
 * IBM Cloud / watsonx Orchestrate API keys: 44 characters of [A-Za-z0-9_-] with no fixed prefix,
 * so they are recognised by the name they are assigned to (apikey, api_key, IBMCLOUD_API_KEY,
 * WXO_API_KEY, `--api-key VALUE`, JSON service credentials …).
 */
const PATTERN = /(?<![A-Za-z0-9])[A-Za-z_-]*api[_-]?key["']?\s*(?:[:=]|\s)\s*["']?([A-Za-z0-9_-]{44})(?![A-Za-z0-9_-])/gi;
/**
 * `api[_-]?key` without the `i` flag and without its first letter: the same texts pass, in a
 * third of the time (irregexp tries `a`, common in prose, at every position).
 */
const TRIGGER = /[Pp][Ii][_-]?[Kk][Ee][Yy]/;

export const ibmCloudApiKey: TextDetector = {
  id: 'wxo/ibm-cloud-api-key',
  trigger: TRIGGER,
  scan(text) {
    const out: SecretMatch[] = [];
    for (const m of text.matchAll(PATTERN)) {
      const value = m[1]!;
      if (isPlaceholderValue(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) continue;
      const start = m.index! + m[0].length - value.length;
      out.push({ detector: this.id, label: 'IBM Cloud / wxO API key', start, end: start + value.length, value });
    }
    return out;
  },
};
