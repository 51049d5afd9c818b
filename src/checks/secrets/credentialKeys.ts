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

/** Key names repeat across thousands of files: each is judged once per matcher. */
export function credentialKeyMatcher(keys: readonly string[]): (key: string) => boolean {
  const names = keys.map((k) => k.toLowerCase().replace(/-/g, '_'));
  const memo = new Map<string, boolean>();
  return (key) => {
    let verdict = memo.get(key);
    if (verdict === undefined) {
      const k = key.toLowerCase().replace(/-/g, '_');
      verdict = names.some((n) => k === n || k.endsWith(`_${n}`));
      memo.set(key, verdict);
    }
    return verdict;
  };
}

export function findCredentialLiterals(
  value: unknown,
  isCredentialKey: (key: string) => boolean,
  skip: (path: readonly string[]) => boolean = () => false,
): CredentialLiteral[] {
  const out: CredentialLiteral[] = [];
  const path: string[] = []; // one stack, copied only for a match
  const walk = (node: unknown) => {
    if (skip(path)) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child = node[i];
        if (child !== null && typeof child === 'object') {
          path.push(String(i));
          walk(child);
          path.pop();
        }
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key in node as Record<string, unknown>) {
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === 'string') {
          if (isCredentialKey(key) && !child.includes('${') && !isPlaceholderValue(child)) out.push({ path: [...path, key], key, value: child });
        } else if (child !== null && typeof child === 'object') {
          path.push(key);
          walk(child);
          path.pop();
        }
      }
    }
  };
  walk(value);
  return out;
}
