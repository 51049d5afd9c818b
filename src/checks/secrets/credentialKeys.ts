import { isPlaceholderValue } from './placeholder.js';

/**
 * YAML/JSON keys named like credentials (password, api_key, client_secret, …) that hold a literal
 * instead of a `${NAME}` placeholder. Judged on the parsed document, so it is exact about keys
 * and values where a text pattern would guess.
 */
export interface CredentialLiteral {
  path: string[];
  key: string;
  value: string;
}

export function credentialKeyMatcher(keys: readonly string[]): (key: string) => boolean {
  const names = keys.map((k) => k.toLowerCase().replace(/-/g, '_'));
  return (key) => {
    const k = key.toLowerCase().replace(/-/g, '_');
    return names.some((n) => k === n || k.endsWith(`_${n}`));
  };
}

export function findCredentialLiterals(
  value: unknown,
  isCredentialKey: (key: string) => boolean,
  skip: (path: readonly string[]) => boolean = () => false,
): CredentialLiteral[] {
  const out: CredentialLiteral[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (skip(path)) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)]));
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        const childPath = [...path, key];
        if (typeof child === 'string' && isCredentialKey(key)) {
          if (!child.includes('${') && !isPlaceholderValue(child)) out.push({ path: childPath, key, value: child });
        } else {
          walk(child, childPath);
        }
      }
    }
  };
  walk(value, []);
  return out;
}
