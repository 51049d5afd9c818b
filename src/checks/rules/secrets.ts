import { messages } from '../../messages.js';
import type { Policy } from '../../policy/model.js';
import { maskSecret } from '../../secretValue/mask.js';
import { locate } from '../../yaml/locate.js';
import { positionFinder, type Located } from '../../yaml/textPosition.js';
import type { AnalyzeContext, FileInput, OversizedInput, TextInput } from '../fileInput.js';
import {
  credentialKeyMatcher,
  findCredentialAliasesAndTags,
  findCredentialLiterals,
  type CredentialLiteral,
} from '../secrets/credentialKeys.js';
import { scanText } from '../secrets/scanText.js';
import type { SecretMatch } from '../secrets/types.js';
import { TOP, type FileRule, type RuleHit } from './fileRule.js';

/**
 * secrets (stage `file`): literal values under credential-named keys (in every YAML document of
 * the file, and as aliases or tags), and what the text detectors and secretlint find. A file too
 * large to parse is still scanned, as text in overlapping chunks: too big to parse is never too
 * big to hide a secret.
 */
export const secretsRule: FileRule = {
  id: 'secrets',
  inSecretScans: 'all',
  async check(file: FileInput, ctx: AnalyzeContext): Promise<RuleHit[]> {
    if (file.form === 'binary') return [];
    if (file.form === 'oversized') return oversized(file, ctx);
    if (ctx.classifier.isSecretScanExcluded(file.path)) return [];
    return secretsInText(file, ctx.policy);
  },
};

const matchHit = (file: FileInput, match: SecretMatch, at: Located): RuleHit => ({
  severity: 'error',
  at,
  message: `${match.label} ${maskSecret(match.value)} [${match.detector}]`,
  extra: file.hashOf(match.value),
});

async function oversized(file: OversizedInput, { policy, classifier }: AnalyzeContext): Promise<RuleHit[]> {
  const limit = policy.secrets.max_file_bytes;
  const hits: RuleHit[] = [{ severity: 'warning', at: TOP, message: messages.fileTooLarge(file.content.length, limit, !file.binary) }];
  if (file.binary || classifier.isSecretScanExcluded(file.path)) return hits;
  const big = file.content.toString('utf8');
  const positionOfBig = positionFinder(big);
  for (const match of await scanInChunks(big, file.path, policy.secrets.secretlint))
    hits.push(matchHit(file, match, positionOfBig(match.start)));
  return hits;
}

async function secretsInText(file: TextInput, policy: Policy): Promise<RuleHit[]> {
  const hits: RuleHit[] = [];
  const { value, parsed, parsedOk } = file;
  const isCredentialKey = credentialMatcherOf(policy);
  const literalHit = (literal: CredentialLiteral, at: Located) =>
    hits.push({
      severity: 'error',
      at,
      message: messages.credentialLiteral(literal.key, maskSecret(literal.value)),
      extra: file.hashOf(literal.value),
    });
  if (parsedOk && value && typeof value === 'object') {
    // Connection credentials are the connection-template rule's business.
    const skip =
      file.kind === 'connection'
        ? (p: readonly string[]) => p.length === 3 && p[0] === 'environments' && p[2] === 'credentials'
        : undefined;
    for (const literal of findCredentialLiterals(value, isCredentialKey, skip)) literalHit(literal, file.at(literal.path));
  }
  // `---` then more YAML: the ADK reads the first document only, git keeps them all.
  if (parsedOk && parsed?.laterDocs && parsed.yamlDoc) {
    const { lineCounter } = parsed.yamlDoc;
    for (const doc of parsed.laterDocs) {
      let later: unknown;
      try {
        later = doc.toJS({ maxAliasCount: 1000 });
      } catch {
        continue; // an alias bomb: the first document's read reported the file already
      }
      for (const literal of findCredentialLiterals(later, isCredentialKey)) literalHit(literal, locate(doc, lineCounter, literal.path));
    }
  }
  if (file.yamlish && !file.json) {
    for (const token of findCredentialAliasesAndTags(file.text, isCredentialKey)) {
      hits.push({
        severity: 'error',
        at: file.positionOf(token.offset),
        message: messages.credentialAliasOrTag(token.key, token.form, maskSecret(token.value)),
        extra: file.hashOf(token.value),
      });
    }
  }
  for (const match of await scanText(file.text, file.path, { structured: parsedOk, secretlint: policy.secrets.secretlint }))
    hits.push(matchHit(file, match, file.positionOf(match.start)));
  return hits;
}

/** Chunks of a file over max_file_bytes, and their overlap (longer than any secret a detector finds). */
const CHUNK = 1 << 20;
const OVERLAP = 64 << 10;

async function scanInChunks(text: string, path: string, secretlint: boolean): Promise<SecretMatch[]> {
  const found = new Map<string, SecretMatch>();
  for (let start = 0; start < text.length; start += CHUNK) {
    const chunk = text.slice(start, start + CHUNK + OVERLAP);
    for (const m of await scanText(chunk, path, { structured: false, secretlint })) {
      const at = { ...m, start: m.start + start, end: m.end + start };
      found.set(`${at.start}|${at.end}`, at);
    }
    if (start + CHUNK + OVERLAP >= text.length) break;
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}

const matchers = new WeakMap<Policy, (key: string) => boolean>();
function credentialMatcherOf(policy: Policy): (key: string) => boolean {
  let matcher = matchers.get(policy);
  if (!matcher) matchers.set(policy, (matcher = credentialKeyMatcher(policy.secrets.credential_keys)));
  return matcher;
}
