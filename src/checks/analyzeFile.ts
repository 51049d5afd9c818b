import { messages } from '../messages.js';
import type { FileClassifier } from '../policy/fileClassifier.js';
import { detectKind, extractResources, isWxoKind, resolveKind, wxoKind } from '../kinds/catalogue.js';
import { parseWxoFile, type ParsedFile } from '../kinds/parse.js';
import type { Anchor } from '../kinds/types.js';
import type { FileKind, Policy, RuleId } from '../policy/model.js';
import { hasSchema, validateAs } from '../schema/validate.js';
import { locate } from '../yaml/locate.js';
import { locateFast } from '../yaml/fastYaml.js';
import { jsonLocator, type JsonLocator } from '../yaml/locateJson.js';
import { deployedValue, VALUE_PLACEHOLDER } from '../resources/values.js';
import { POLICY_FILE } from '../policy/model.js';
import { ruleFinding } from './finding.js';
import { checkConnectionTemplate } from './rules/connectionTemplate.js';
import { credentialKeyMatcher, findCredentialAliasesAndTags, findCredentialLiterals, type CredentialLiteral } from './secrets/credentialKeys.js';
import { findingHash, maskSecret } from '../secretValue/mask.js';
import { scanText } from './secrets/scanText.js';
import type { SecretMatch } from './secrets/types.js';
import { applyInlineIgnores, parseInlineIgnores } from './suppressions.js';
import { isBinary, positionFinder } from '../yaml/textPosition.js';
import type { FileFacts, FileResult, Finding, Located, TenantOrchestrateFacts } from './types.js';

/**
 * Everything that can be judged from one file alone — the rules of stage `file` in the registry
 * (src/policy/rules.ts): YAML syntax, schema, connection templates, secrets; inline suppressions —
 * plus the facts the repository-wide rules need. The file is parsed once (kinds/parse.ts). Pure apart from
 * secretlint's lazy loading, and safe to run in a worker thread.
 */
export interface AnalyzeContext {
  policy: Policy;
  classifier: FileClassifier;
  /**
   * 'secrets': only what can leak a credential (range scans of every commit's added lines).
   * 'facts': only what repository-wide rules need to know about a file that is not being judged.
   */
  only?: 'secrets' | 'facts';
  /** The snapshot's `values:` (values.yaml): files are validated as they will be deployed. */
  values?: Record<string, unknown>;
}

const YAMLISH = /\.(ya?ml|json)$/i;

export async function analyzeFile(path: string, content: Buffer, ctx: AnalyzeContext): Promise<FileResult> {
  const { policy, classifier } = ctx;
  const secretsOnly = ctx.only === 'secrets';
  const factsOnly = ctx.only === 'facts';
  const findings: Finding[] = [];
  const facts: FileFacts = { resources: [], refs: [] };
  const add = (rule: RuleId, severity: 'error' | 'warning', at: Located, message: string, extra: Partial<Finding> = {}) => {
    if (factsOnly || (secretsOnly && rule !== 'secrets' && !(rule === 'connection-template' && extra.hash))) return;
    const finding = ruleFinding(policy, rule, { file: path, line: at.line, column: at.column, message, ...extra }, severity);
    if (finding) findings.push(finding);
  };
  const top = { line: 1, column: 1 };
  const hashOf = (value: string) => findingHash(value, policy.secrets.hash_key, policy.suppressions);
  const setting = classifier.kindSetting(path);
  const yamlish = YAMLISH.test(path);

  if (content.length > policy.secrets.max_file_bytes) {
    const binary = isBinary(content);
    add('secrets', 'warning', top, messages.fileTooLarge(content.length, policy.secrets.max_file_bytes, !binary));
    // Too big to parse, never too big to hide a secret: the text is scanned in overlapping chunks.
    if (!binary && !factsOnly && !classifier.isSecretScanExcluded(path)) {
      const big = content.toString('utf8');
      const positionOfBig = positionFinder(big);
      for (const match of await scanInChunks(big, path, policy.secrets.secretlint)) {
        add('secrets', 'error', positionOfBig(match.start), `${match.label} ${maskSecret(match.value)} [${match.detector}]`, hashOf(match.value));
      }
    }
    return { path, findings, facts };
  }
  if (isBinary(content)) {
    if (yamlish) add('yaml-syntax', 'error', top, 'binary content where YAML/JSON is expected (the ADK reads UTF-8 text)');
    return { path, findings, facts };
  }
  let text = content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const positionOf = positionFinder(text);

  // ---- parse ----------------------------------------------------------------------------------
  let value: unknown;
  let parsedOk = false;
  let documentCount = 1;
  let parsed: ParsedFile | undefined;
  let jsonAt: JsonLocator | undefined;
  const at = (anchor: Anchor | string[], key?: string): Located => {
    if (!Array.isArray(anchor) && 'offset' in anchor) return positionOf(anchor.offset);
    const segments = Array.isArray(anchor) ? anchor : anchor.path;
    if (parsed?.fastPositions) return locateFast(parsed.fastPositions, segments, key);
    if (!parsed?.yamlDoc) return positionOf((jsonAt ??= jsonLocator(text))(segments, key));
    return locate(parsed.yamlDoc.doc, parsed.yamlDoc.lineCounter, segments, key === undefined ? {} : { key });
  };

  if (yamlish) {
    // The policy is wxo-policy's own file (YAML 1.2, where `off` is a word); the rest is read as
    // the ADK reads it.
    parsed = parseWxoFile(path, text, { own: setting === 'policy' || path === POLICY_FILE });
    for (const e of parsed.errors) add('yaml-syntax', 'error', e, e.message);
    for (const w of parsed.warnings) add('yaml-syntax', 'warning', w, w.message);
    value = parsed.value;
    parsedOk = parsed.ok;
    documentCount = parsed.documentCount;
  }
  const json = parsed?.json ?? false;

  // ---- what kind of wxO file ------------------------------------------------------------------
  let kind: FileKind | undefined;
  if (setting === 'python_tool') kind = 'python_tool';
  else if (setting === 'auto') kind = parsedOk ? detectKind(value, path) : undefined;
  else if (setting && setting !== 'none' && yamlish) kind = parsedOk ? resolveKind(setting, value, path) : setting;
  if (kind) facts.kind = kind;
  const structured = kind !== undefined && (!isWxoKind(kind) || wxoKind(kind).structured);

  if (kind && structured && parsedOk) {
    if (documentCount > 1) add('yaml-syntax', 'error', top, `${documentCount} YAML documents in one file: the ADK reads exactly one`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      add('schema', 'error', top, `the top level must be a mapping (found ${value === null ? 'an empty document' : Array.isArray(value) ? 'a list' : typeof value})`);
    } else {
      const schema = isWxoKind(kind) ? wxoKind(kind).schema : kind;
      if (schema && hasSchema(schema) && !secretsOnly && !factsOnly) {
        for (const issue of validateAs(schema, asDeployed(text, value, json, ctx.values))) add('schema', issue.severity, at(issue.path, issue.key), issue.message);
      }
      if (kind === 'connection') {
        for (const issue of checkConnectionTemplate(value)) {
          const extra: Partial<Finding> = issue.literal ? { ...hashOf(issue.literal), message: `${issue.message}: ${maskSecret(issue.literal)}` } : {};
          add('connection-template', issue.severity, at(issue.path), issue.message, extra);
        }
      }
      if (kind === 'values') facts.valueKeys = flattenKeys((value as { values?: unknown }).values);
    }
  }
  if (kind && (parsedOk || !structured) && !secretsOnly) {
    const extracted = extractResources(kind, value, text);
    // Facts travel between threads and into the cache: positions, not the paths they came from.
    facts.resources = extracted.resources.map(({ anchor, ...r }) => ({ ...r, ...at(anchor) }));
    facts.refs = extracted.refs.map(({ anchor, ...r }) => ({ ...r, ...at(anchor) }));
  }
  if (classifier.isTenantScoped(path) && parsedOk) {
    const tenant = (value as { tenant?: unknown } | null)?.tenant;
    facts.tenant = typeof tenant === 'string' && tenant ? { name: tenant, ...at(['tenant']) } : { name: null, ...top };
    if (kind === 'tenant') {
      const o = (value as { orchestrate?: unknown } | null)?.orchestrate;
      const settings: TenantOrchestrateFacts = {};
      for (const key of ['env_name', 'url', 'auth_type'] as const) {
        const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
        if (typeof v === 'string') settings[key] = { value: v, ...at(['orchestrate', key]) };
      }
      facts.tenant.orchestrate = settings;
    }
  }
  if (kind && isWxoKind(kind) && text.includes('${values.')) {
    facts.valueRefs = [...text.matchAll(VALUE_PLACEHOLDER)].map((m) => ({ key: m[1]!, ...positionOf(m.index!) }));
  }

  // ---- secrets ----------------------------------------------------------------------------------
  if (!factsOnly && !classifier.isSecretScanExcluded(path)) {
    const isCredentialKey = credentialMatcherOf(policy);
    const literalFinding = (literal: CredentialLiteral, where: Located) =>
      add('secrets', 'error', where, `credential-named key "${literal.key}" holds a literal value ${maskSecret(literal.value)}; use a \${NAME} placeholder`, hashOf(literal.value));
    if (parsedOk && value && typeof value === 'object') {
      // Connection credentials are the connection-template rule's business.
      const skip = kind === 'connection' ? (p: readonly string[]) => p.length === 3 && p[0] === 'environments' && p[2] === 'credentials' : undefined;
      for (const literal of findCredentialLiterals(value, isCredentialKey, skip)) literalFinding(literal, at(literal.path));
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
        for (const literal of findCredentialLiterals(later, isCredentialKey)) literalFinding(literal, locate(doc, lineCounter, literal.path));
      }
    }
    if (yamlish && !json) {
      for (const token of findCredentialAliasesAndTags(text, credentialMatcherOf(policy))) {
        add('secrets', 'error', positionOf(token.offset), messages.credentialAliasOrTag(token.key, token.form, maskSecret(token.value)), hashOf(token.value));
      }
    }
    for (const match of await scanText(text, path, { structured: parsedOk, secretlint: policy.secrets.secretlint })) {
      add('secrets', 'error', positionOf(match.start), `${match.label} ${maskSecret(match.value)} [${match.detector}]`, hashOf(match.value));
    }
  }

  const ignores = parseInlineIgnores(text, positionOf);
  return { path, findings: applyInlineIgnores(dedupeFindings(findings), ignores, path), facts };
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

/** Structural and text detectors may both see the same credential: keep one finding per line. */
function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.rule !== 'secrets' || !f.hash) return true;
    const key = `${f.line}|${f.hash}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The value the ADK will read after the deploy runner fills `${values.x}` from values.yaml
 * (src/resources/values.ts renders the text; deployedValue is its value-level twin). Unknown keys are
 * the references rule's to report and stay as written.
 */
function asDeployed(text: string, value: unknown, json: boolean, values: Record<string, unknown> | undefined): unknown {
  if (!values || !text.includes('${values.')) return value;
  return deployedValue(value, values, { json });
}

const matchers = new WeakMap<Policy, (key: string) => boolean>();
function credentialMatcherOf(policy: Policy): (key: string) => boolean {
  let matcher = matchers.get(policy);
  if (!matcher) matchers.set(policy, (matcher = credentialKeyMatcher(policy.secrets.credential_keys)));
  return matcher;
}

export function flattenKeys(node: unknown, prefix = ''): string[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return prefix ? [prefix] : [];
  const out: string[] = prefix ? [prefix] : [];
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) out.push(...flattenKeys(v, prefix ? `${prefix}.${k}` : k));
  return out;
}
