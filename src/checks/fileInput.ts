import type { FileClassifier } from '../policy/fileClassifier.js';
import { detectKind, isWxoKind, resolveKind, wxoKind } from '../kinds/catalogue.js';
import { parseWxoFile, type ParsedFile } from '../kinds/parse.js';
import type { Anchor } from '../kinds/types.js';
import type { FileKind, FileKindSetting, Policy } from '../policy/model.js';
import { POLICY_FILE } from '../policy/model.js';
import { locate } from '../yaml/locate.js';
import { locateFast } from '../yaml/fastYaml.js';
import { jsonLocator, type JsonLocator } from '../yaml/locateJson.js';
import { findingHash } from '../secretValue/mask.js';
import { isBinary, positionFinder } from '../yaml/textPosition.js';
import type { Finding, Located } from './types.js';

/**
 * One file as the file rules see it, read once by `readFileInput`: too large to parse, binary, or
 * text parsed as the ADK reads it (kinds/parse.ts) with its wxO kind resolved. The rules in
 * checks/rules/ take this and never parse again.
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

interface InputBase {
  path: string;
  content: Buffer;
  /** .yaml, .yml or .json: a file the ADK (or wxo-policy) reads as YAML/JSON. */
  yamlish: boolean;
  /** The policy's `files:` kind setting for the path. */
  setting: FileKindSetting | undefined;
  /** The allowlist hash of a matched value (see findingHash). */
  hashOf(value: string): Pick<Finding, 'hash' | 'legacySuppression'>;
}

/** Over `secrets.max_file_bytes`: not parsed, only scanned for secrets in chunks. */
export interface OversizedInput extends InputBase {
  form: 'oversized';
  binary: boolean;
}

export interface BinaryInput extends InputBase {
  form: 'binary';
}

export interface TextInput extends InputBase {
  form: 'text';
  /** The text without a leading BOM. */
  text: string;
  positionOf(offset: number): Located;
  /** Line and column of a parsed node (an anchor of kinds/, or a key path and optionally the key itself). */
  at(anchor: Anchor | string[], key?: string): Located;
  /** Absent for files that are not YAML/JSON. */
  parsed: ParsedFile | undefined;
  /** The first document's value (undefined when not parsed). */
  value: unknown;
  parsedOk: boolean;
  documentCount: number;
  json: boolean;
  kind: FileKind | undefined;
  /** A kind whose files are YAML/JSON documents of a schema (not a Python tool). */
  structured: boolean;
}

export type FileInput = OversizedInput | BinaryInput | TextInput;

const YAMLISH = /\.(ya?ml|json)$/i;

export function readFileInput(path: string, content: Buffer, ctx: Pick<AnalyzeContext, 'policy' | 'classifier'>): FileInput {
  const { policy, classifier } = ctx;
  const base: InputBase = {
    path,
    content,
    yamlish: YAMLISH.test(path),
    setting: classifier.kindSetting(path),
    hashOf: (value) => findingHash(value, policy.secrets.hash_key, policy.suppressions),
  };
  if (content.length > policy.secrets.max_file_bytes) return { ...base, form: 'oversized', binary: isBinary(content) };
  if (isBinary(content)) return { ...base, form: 'binary' };

  let text = content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const positionOf = positionFinder(text);
  let parsed: ParsedFile | undefined;
  let jsonAt: JsonLocator | undefined;
  const at = (anchor: Anchor | string[], key?: string): Located => {
    if (!Array.isArray(anchor) && 'offset' in anchor) return positionOf(anchor.offset);
    const segments = Array.isArray(anchor) ? anchor : anchor.path;
    if (parsed?.fastPositions) return locateFast(parsed.fastPositions, segments, key);
    if (!parsed?.yamlDoc) return positionOf((jsonAt ??= jsonLocator(text, parsed?.json === true && parsed.ok))(segments, key));
    return locate(parsed.yamlDoc.doc, parsed.yamlDoc.lineCounter, segments, key === undefined ? {} : { key });
  };

  // The policy is wxo-policy's own file (YAML 1.2, where `off` is a word); the rest is read as
  // the ADK reads it.
  if (base.yamlish) parsed = parseWxoFile(path, text, { own: base.setting === 'policy' || path === POLICY_FILE });
  const value = parsed?.value;
  const parsedOk = parsed?.ok ?? false;

  const { setting } = base;
  let kind: FileKind | undefined;
  if (setting === 'python_tool') kind = 'python_tool';
  else if (setting === 'auto') kind = parsedOk ? detectKind(value, path) : undefined;
  else if (setting && setting !== 'none' && base.yamlish) kind = parsedOk ? resolveKind(setting, value, path) : setting;

  return {
    ...base,
    form: 'text',
    text,
    positionOf,
    at,
    parsed,
    value,
    parsedOk,
    documentCount: parsed?.documentCount ?? 1,
    json: parsed?.json ?? false,
    kind,
    structured: kind !== undefined && (!isWxoKind(kind) || wxoKind(kind).structured),
  };
}
