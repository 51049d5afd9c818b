import { isPlaceholderValue } from '../../secretValue/placeholder.js';

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

/**
 * Whether a key is credential-named: its last words, joined, are one of the names — separators and
 * case do not count (`password`, `db_password`, `dbPassword`, `pass_word`, `X-Api-Key` for
 * `api_key`). Key names repeat across thousands of files: each is judged once per matcher.
 */
export function credentialKeyMatcher(keys: readonly string[]): (key: string) => boolean {
  const names = new Set(keys.map((k) => k.toLowerCase().replace(/[^a-z0-9]/g, '')));
  const memo = new Map<string, boolean>();
  return (key) => {
    let verdict = memo.get(key);
    if (verdict === undefined) {
      const words = key
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
      verdict = false;
      for (let i = 0; i < words.length && !verdict; i++) verdict = names.has(words.slice(i).join(''));
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
          if (isCredentialKey(key) && !child.includes('${') && !isPlaceholderValue(child))
            out.push({ path: [...path, key], key, value: child });
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

/** Tags of the YAML core and 1.1 types: they only say how to read the value that follows. */
const STANDARD_TAGS = /^!(?:!(?:str|binary|int|float|bool|null|map|seq|omap|set|pairs|timestamp|merge|value))?$/;
/** `key: *alias` or `key: !tag…` at the start of a block mapping line (list dashes allowed). */
const ALIAS_OR_TAG = /^[ \t]*(?:-[ \t]+)*(?:"([^"\n]+)"|'([^'\n]+)'|([^\s:#"'{}[\],&*!|>%@`][^:\n#]*?))[ \t]*:[ \t]+([*!][^\s#,{}[\]]*)/gm;

export interface CredentialToken {
  /** Offset of the alias or tag in the text. */
  offset: number;
  key: string;
  /** The alias or tag without its indicator: what a careless author put there is the secret. */
  value: string;
  form: 'alias' | 'tag';
}

/**
 * `password: *Sup3r…` and `password: !Sup3r…` are read by YAML as an alias and a tag, not as a
 * value: the structural check never sees a literal, and the parser's own message would quote it.
 * Under a credential-named key neither is a placeholder, so each is a secrets finding.
 */
export function findCredentialAliasesAndTags(text: string, isCredentialKey: (key: string) => boolean): CredentialToken[] {
  if (!text.includes('*') && !text.includes('!')) return [];
  const out: CredentialToken[] = [];
  for (const m of text.matchAll(ALIAS_OR_TAG)) {
    const key = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    const token = m[4]!;
    if (!key || !isCredentialKey(key) || STANDARD_TAGS.test(token)) continue;
    const value = token.startsWith('!!') ? token.slice(2) : token.slice(1);
    if (!value || isPlaceholderValue(value)) continue;
    out.push({ offset: m.index! + m[0].length - token.length, key, value, form: token.startsWith('*') ? 'alias' : 'tag' });
  }
  return out;
}
