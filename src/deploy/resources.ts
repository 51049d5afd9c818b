import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { isBinary } from '../yaml/textPosition.js';
import { messages } from '../messages.js';
import { extractResources, isWxoKind, OPENAPI_APP_ID_KEY, resolveKind, wxoKind } from '../kinds/catalogue.js';
import { parseWxoFile } from '../kinds/parse.js';
import type { Extracted, ResourceKind, WxoKind } from '../kinds/types.js';
import { compileClassifier, type FileClassifier } from '../policy/fileClassifier.js';
import type { FileKind, Policy } from '../policy/model.js';
import { normalizePath } from '../resources/paths.js';
import { listSnapshot, readBlobs } from '../snapshot/snapshot.js';
import { ADK_YAML_OPTIONS } from '../yaml/readYaml.js';
import { parseValues, SECRET_PLACEHOLDER, secretNames, substituteValues, type Values } from '../resources/values.js';

/**
 * The resource set of a commit: every thing the deploy runner imports, identified by kind and
 * name (connections by app_id), with what it depends on and a content fingerprint. The plan is the
 * difference of two such sets, so renames, moves and deletions come out right whatever the paths.
 *
 * The builder is pure (file contents in, units out); `loadResourceSet` is the shell that reads a
 * commit through `git cat-file --batch`.
 */

/** One `orchestrate … import` (plus what belongs to it): the unit of change. One per wxO kind (src/kinds/). */
export type UnitKind = WxoKind;

/** A named thing on the platform. Channels are per agent; agents carry their kind for `remove -k`. */
export interface PlatformObject {
  kind: ResourceKind;
  name: string;
  /** agent: native/external/assistant; channel: its channel type. */
  variant?: string;
  /** channel: the agent it belongs to. */
  agent?: string;
}

export interface ObjectRef {
  kind: ResourceKind;
  name: string;
}

export interface CredentialBlock {
  env: 'draft' | 'live';
  /** Connection kind of that environment (basic, api_key, oauth_…). */
  kind: string;
  /** Credential fields after `${values.x}` substitution; `${NAME}` secrets left in place. */
  fields: Record<string, string | Record<string, string>>;
}

export interface Unit {
  /** Stable key: `<kind>:<name>` (python and OpenAPI files: their first tool). */
  id: string;
  kind: UnitKind;
  /** What the plan calls it: an app_id, agent name, KB name, or the tools of a file. */
  name: string;
  /** The file imported, relative to the repository root. */
  path: string;
  objects: PlatformObject[];
  deps: ObjectRef[];
  /** Repository files the import reads (the file itself, requirements, documents, package files). */
  files: string[];
  fingerprint: string;
  variant?: string;
  /** `-a` values (Python tools: per connection the tools expect; OpenAPI: at most one). */
  appIds: string[];
  requirements?: string;
  packageRoot?: string;
  /** channel / phone: the agent it is attached to. */
  agent?: string;
  credentials?: CredentialBlock[];
  /** Per-stage kinds (connections, DraftLive 'per-stage'): the stages (draft, live) its file configures. */
  environments?: ('draft' | 'live')[];
  /** connection: environments of on-behalf-of OAuth, whose identity provider wxo-policy does not set. */
  identityProviders?: ('draft' | 'live')[];
  /** `${NAME}` secrets the rendered file itself needs (outside connection credentials). */
  secrets: string[];
}

/** tenant.yaml's orchestrate settings (its `tenant:` is checked with every tenant-scoped file: binding.ts). */
export interface TenantFile {
  envName?: string;
  url?: string;
  authType?: string;
  /** The secret name of `api_key: ${NAME}`. */
  apiKeySecret?: string;
}

export interface ResourceSet {
  units: Unit[];
  /**
   * What the import calls read, per file of the snapshot's units: the text with `${values.x}`
   * substituted (binary documents as they are). `${NAME}` secrets are still placeholders.
   */
  rendered: ReadonlyMap<string, Buffer>;
  /** Problems that make the set unusable for a deploy (file:line:col message). */
  problems: string[];
  warnings: string[];
  tenant?: TenantFile;
}

export interface SnapshotFiles {
  /** Every file path of the commit. */
  paths: readonly string[];
  /** Contents of the files read (a subset of paths). */
  content: ReadonlyMap<string, Buffer>;
}

const YAMLISH = /\.(ya?ml|json)$/i;
const VALUES_FILE = 'values.yaml';
export const TENANT_FILE = 'tenant.yaml';
/** Kinds whose own file gets `${NAME}` secrets filled when rendered (the CLI does not expand them). */
export const secretsRendered = (kind: UnitKind): boolean => wxoKind(kind).deploy.secretsRendered;

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, rel: string) => normalizePath(dir ? `${dir}/${rel}` : rel);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The policy's globs, compiled once per policy (a plan reads two snapshots, each in two passes). */
const classifiers = new WeakMap<Policy, FileClassifier>();
function classifierOf(policy: Policy): FileClassifier {
  let classifier = classifiers.get(policy);
  if (!classifier) classifiers.set(policy, (classifier = compileClassifier(policy)));
  return classifier;
}

/** The deployable kind of a path by the policy alone (`auto` and YAML kinds need the content). */
function settingOf(classifier: FileClassifier, path: string): FileKind | 'auto' | undefined {
  if (classifier.isIgnored(path)) return undefined;
  const setting = classifier.kindSetting(path);
  if (!setting || setting === 'none' || setting === 'policy') return undefined;
  if (isWxoKind(setting) && !wxoKind(setting).structured) return /\.py$/i.test(path) ? setting : undefined;
  if (!YAMLISH.test(path)) return undefined;
  return setting;
}

/** Python package roots: a tool in a package (`__init__.py`) is uploaded with its whole package root. */
function packageRootOf(path: string, paths: ReadonlySet<string>): string | undefined {
  let dir = dirOf(path);
  if (!paths.has(join(dir, '__init__.py'))) return undefined;
  while (dir && paths.has(join(dir, '__init__.py'))) dir = dirOf(dir);
  // A package at the repository root would upload the whole repository: not a package root.
  return dir || undefined;
}

/** Files to read first: candidates for every kind, values/tenant, requirements and package files. */
function firstPassPaths(paths: readonly string[], policy: Policy): string[] {
  const classifier = classifierOf(policy);
  const set = new Set(paths);
  const wanted = new Set<string>();
  for (const path of paths) {
    const setting = settingOf(classifier, path);
    if (path === VALUES_FILE || path === TENANT_FILE) wanted.add(path);
    if (!setting) continue;
    wanted.add(path);
    if (setting === 'python_tool') {
      const root = packageRootOf(path, set);
      if (root !== undefined) for (const p of paths) if (p.startsWith(`${root}/`)) wanted.add(p);
      for (let dir = dirOf(path); ; dir = dirOf(dir)) {
        if (set.has(join(dir, 'requirements.txt'))) wanted.add(join(dir, 'requirements.txt'));
        if (!dir) break;
      }
    }
  }
  return [...wanted];
}

/** Files the first pass points at: knowledge-base documents, toolkit package roots. */
function dependencyPaths(files: SnapshotFiles, policy: Policy): string[] {
  const classifier = classifierOf(policy);
  const out = new Set<string>();
  for (const [path, content] of files.content) {
    // Only kinds that read other files point at them (and files whose kind needs a look).
    const setting = settingOf(classifier, path);
    if (setting !== 'auto' && !(setting && isWxoKind(setting) && wxoKind(setting).deploy.reads)) continue;
    const parsed = parseWxoFile(path, content.toString('utf8'));
    if (!parsed.ok) continue;
    const kind = resolveKind(setting, parsed.value, path);
    const reads = kind && isWxoKind(kind) ? wxoKind(kind).deploy.reads : undefined;
    if (reads === 'documents') {
      for (const doc of documentsOf(extractResources(kind!, parsed.value, ''))) {
        const target = join(dirOf(path), doc);
        if (!files.content.has(target)) out.add(target);
      }
    } else if (reads === 'package_root') {
      const root = str(obj(parsed.value).package_root);
      if (root) {
        const prefix = join(dirOf(path), root);
        for (const p of files.paths) if (p.startsWith(`${prefix}/`) && !files.content.has(p)) out.add(p);
      }
    }
  }
  const exists = new Set(files.paths);
  return [...out].filter((p) => exists.has(p));
}

/** The documents a knowledge base uploads from the repository (its `file` references; URLs are fetched by the platform). */
function documentsOf(extracted: Extracted): string[] {
  return extracted.refs.filter((r) => r.kind === 'file' && !/^[a-z]+:\/\//i.test(r.name)).map((r) => r.name);
}

/** The first problem of a file that does not parse, as `line:col message`. */
function parseProblem(errors: readonly { line: number; column: number; message: string }[]): string {
  const e = errors[0] ?? { line: 1, column: 1, message: 'not parsable' };
  return `${e.line}:${e.column} ${e.message}`;
}

/** Builds the resource set of a snapshot from its file contents. Pure. */
export function buildResourceSet(files: SnapshotFiles, policy: Policy): ResourceSet {
  const classifier = classifierOf(policy);
  const problems: string[] = [];
  const warnings: string[] = [];
  const pathSet = new Set(files.paths);
  const text = (path: string) => {
    const c = files.content.get(path);
    if (!c) return undefined;
    const t = c.toString('utf8');
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  };

  let values: Values = {};
  try {
    values = parseValues(text(VALUES_FILE));
  } catch (e) {
    problems.push((e as Error).message);
  }
  /** Substituted text of a file; problems are recorded, the text keeps the unknown placeholders. */
  const rendered = new Map<string, string>();
  const render = (path: string): string | undefined => {
    if (rendered.has(path)) return rendered.get(path);
    const content = files.content.get(path);
    if (!content) return undefined;
    if (isBinary(content)) {
      rendered.set(path, '');
      return '';
    }
    const r = substituteValues(text(path)!, path, values);
    for (const p of r.problems) problems.push(`${p.file}:${p.line}:${p.column} ${p.message}`);
    rendered.set(path, r.text);
    return r.text;
  };
  /** Fingerprint of a dependency file: its rendered text, or the raw bytes of binary documents. */
  const fileHash = (path: string) => {
    const content = files.content.get(path);
    if (!content) return 'missing';
    return isBinary(content) ? sha(content) : sha(render(path)!);
  };

  const units: Unit[] = [];
  const openapiUnits: { unit: Unit; serverUrl?: string; explicit?: string }[] = [];
  const connectionUrls = new Map<string, Set<string>>();

  for (const path of [...files.content.keys()].sort()) {
    const setting = settingOf(classifier, path);
    if (!setting) continue;
    const body = render(path);
    if (body === undefined) continue;

    if (setting === 'python_tool') {
      const extracted = extractResources('python_tool', null, body);
      if (!extracted.resources.length) continue; // a helper module, not a tool file
      const packageRoot = packageRootOf(path, pathSet);
      const beside = join(dirOf(path), 'requirements.txt');
      let requirements: string | undefined = pathSet.has(beside) ? beside : undefined;
      if (!requirements && packageRoot !== undefined && pathSet.has(join(packageRoot, 'requirements.txt')))
        requirements = join(packageRoot, 'requirements.txt');
      if (!requirements) {
        // Not beside the tool and no package: the nearest one above it, passed with -r explicitly.
        for (let dir = dirOf(dirOf(path)); ; dir = dirOf(dir)) {
          if (pathSet.has(join(dir, 'requirements.txt'))) {
            requirements = join(dir, 'requirements.txt');
            break;
          }
          if (!dir) break;
        }
      }
      const packageFiles =
        packageRoot === undefined ? [] : [...files.content.keys()].filter((p) => p !== path && p.startsWith(`${packageRoot}/`)).sort();
      const depFiles = [...new Set([...(requirements ? [requirements] : []), ...packageFiles])].filter((p) => p !== path);
      const tools = extracted.resources.map((r) => r.name);
      const appIds = [...new Set(extracted.refs.filter((r) => r.kind === 'connection').map((r) => r.name))];
      const unit: Unit = {
        id: `tool:${tools[0]}`,
        kind: 'python_tool',
        name: tools.join(', '),
        path,
        objects: tools.map((name) => ({ kind: 'tool', name })),
        deps: appIds.map((name) => ({ kind: 'connection', name })),
        files: [path, ...depFiles],
        fingerprint: '',
        appIds,
        secrets: [],
      };
      if (requirements) unit.requirements = requirements;
      if (packageRoot !== undefined) unit.packageRoot = packageRoot;
      if (extracted.resources.every((r) => r.variant === 'flow')) unit.variant = 'flow';
      unit.fingerprint = fingerprint(
        unit,
        body,
        depFiles.map((p) => [relativeTo(dirOf(path), p), fileHash(p)]),
      );
      units.push(unit);
      continue;
    }

    const parsed = parseWxoFile(path, body);
    if (!parsed.ok) {
      problems.push(`${path}:${parseProblem(parsed.errors)}`);
      continue;
    }
    const kind = resolveKind(setting, parsed.value, path);
    if (!kind || !isWxoKind(kind) || !wxoKind(kind).structured) continue;
    const record = wxoKind(kind);
    const how = record.deploy;
    if (how.notDeployed) {
      warnings.push(messages.deploy.notDeployed(path, record.word, how.notDeployed));
      continue;
    }
    const v = obj(parsed.value);
    const extracted = extractResources(kind, parsed.value, body);
    const decls = extracted.resources;
    const first = decls[0];
    if (!first) {
      if (how.objects === 'each') warnings.push(messages.deploy.openapiWithoutTools(path));
      continue;
    }
    // channels/<agent>/<file>.yaml: the directory names the agent a channel or phone config belongs to.
    const agent = how.attach ? channelAgentOf(path) : undefined;
    if (how.attach === 'required' && !agent) {
      problems.push(messages.deploy.channelWithoutAgent(path));
      continue;
    }
    const variant = how.variant?.(first);
    const objects: PlatformObject[] = (how.objects === 'each' ? decls : [first]).map((d) => ({
      kind: record.object,
      name: d.name,
      ...(variant ? { variant } : {}),
      ...(agent ? { agent } : {}),
    }));
    const deps: ObjectRef[] = [
      ...extracted.refs.filter((r) => r.kind !== 'file').map((r) => ({ kind: r.kind as ResourceKind, name: r.name })),
      ...(how.orderAfter?.(v) ?? []),
      ...(agent ? [{ kind: 'agent' as const, name: agent }] : []),
    ];
    const unit: Unit = {
      id: objectKey(objects[0]!),
      kind,
      name: how.objects === 'each' ? objects.map((o) => o.name).join(', ') : objectKey(objects[0]!).slice(record.object.length + 1),
      path,
      objects,
      deps: dedupe(deps),
      files: [path],
      fingerprint: '',
      // the connections the file names (`-a` of the kinds whose import takes one: models)
      appIds: [...new Set(extracted.refs.filter((r) => r.kind === 'connection').map((r) => r.name))],
      secrets: how.secretsRendered ? secretNames(kind === 'connection' ? withoutCredentials(path, body) : body) : [],
      ...(variant ? { variant } : {}),
      ...(agent ? { agent } : {}),
    };
    const extraHashes: [string, string][] = [];
    // Per-stage kinds (connections): the stages its file configures, as the catalogue declares them.
    if (first.stages) unit.environments = [...first.stages];
    if (kind === 'connection') {
      unit.credentials = credentialBlocks(v);
      // connections_controller.py:774-798: on-behalf-of OAuth gets its identity provider with
      // `connections set-identity-provider`, which wxo-policy does not run
      const idp = CREDENTIAL_ENVS.filter((e) => obj(obj(v.environments)[e]).kind === 'oauth_auth_on_behalf_of_flow');
      if (idp.length) unit.identityProviders = idp;
      for (const block of Object.values(obj(v.environments))) {
        const url = str(obj(block).server_url);
        if (url) connectionUrls.set(first.name, new Set([...(connectionUrls.get(first.name) ?? []), trimUrl(url)]));
      }
    }
    if (kind === 'openapi') {
      // The connection of the spec's tools is settled once every connection is known (below).
      unit.deps = [];
      const serverUrl = str(obj(list(v.servers)[0]).url);
      openapiUnits.push({
        unit,
        ...(serverUrl ? { serverUrl: trimUrl(serverUrl) } : {}),
        ...(str(v[OPENAPI_APP_ID_KEY]) ? { explicit: str(v[OPENAPI_APP_ID_KEY])! } : {}),
      });
    }
    if (how.reads === 'package_root') {
      const root = str(v.package_root);
      if (root) {
        const prefix = join(dirOf(path), root);
        const pkg = [...files.content.keys()].filter((p) => p.startsWith(`${prefix}/`)).sort();
        unit.files.push(...pkg);
        extraHashes.push(...pkg.map((p): [string, string] => [relativeTo(dirOf(path), p), fileHash(p)]));
      }
    }
    if (how.reads === 'documents') {
      for (const doc of documentsOf(extracted)) {
        const target = join(dirOf(path), doc);
        if (!pathSet.has(target)) {
          problems.push(messages.deploy.documentMissing(path, first.name, doc, target));
          continue;
        }
        unit.files.push(target);
        extraHashes.push([doc, fileHash(target)]);
      }
    }
    unit.fingerprint = fingerprint(unit, body, extraHashes);
    units.push(unit);
  }

  // OpenAPI specs name no connection; the one whose server_url equals the spec's server is it.
  for (const { unit, serverUrl, explicit } of openapiUnits) {
    let appId = explicit;
    if (!appId && serverUrl) {
      const matches = [...connectionUrls].filter(([, urls]) => urls.has(serverUrl)).map(([id]) => id);
      if (matches.length === 1) appId = matches[0];
      else if (matches.length > 1) warnings.push(messages.deploy.openapiAmbiguous(unit.path, matches));
    }
    if (appId) {
      unit.appIds = [appId];
      unit.deps = [{ kind: 'connection', name: appId }];
    }
    unit.fingerprint = fingerprint(unit, render(unit.path)!, []);
  }

  // Every object is defined once: two files defining one name cannot both be imported.
  const owner = new Map<string, Unit>();
  for (const unit of units) {
    for (const o of unit.objects) {
      const key = objectKey(o);
      const other = owner.get(key);
      if (other && other !== unit) problems.push(messages.deploy.duplicateObject(o.kind, o.name, other.path, unit.path));
      else owner.set(key, unit);
    }
  }

  const tenantText = text(TENANT_FILE);
  const renderedFiles = new Map<string, Buffer>();
  for (const unit of units) {
    for (const path of unit.files) {
      const content = files.content.get(path);
      if (content && !renderedFiles.has(path)) renderedFiles.set(path, isBinary(content) ? content : Buffer.from(render(path)!));
    }
  }
  const result: ResourceSet = { units, rendered: renderedFiles, problems, warnings };
  if (tenantText !== undefined) result.tenant = parseTenantFile(tenantText);
  return result;
}

/** The identity of a platform object: kind and name (channels per agent). Agents are keyed by name. */
export function objectKey(o: { kind: string; name: string; agent?: string }): string {
  return o.kind === 'channel' ? `channel:${o.agent}/${o.name}` : `${o.kind}:${o.name}`;
}

function dedupe(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.kind}:${r.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function channelAgentOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 3) return undefined;
  return parts[parts.length - 2];
}

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function relativeTo(dir: string, path: string): string {
  if (!dir) return path;
  const from = dir.split('/');
  const to = path.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/**
 * Content fingerprint: what the import sends (rendered text), how it is imported (kind, -a, the
 * attached agent) and the files it reads, named relative to the imported file — so a move of a
 * whole tool or KB directory is not a change, but an edited document is.
 */
function fingerprint(unit: Unit, body: string, deps: [string, string][]): string {
  return sha(
    JSON.stringify({
      kind: unit.kind,
      variant: unit.variant ?? null,
      appIds: unit.appIds,
      agent: unit.agent ?? null,
      body: sha(body),
      deps: [...deps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      requirements: unit.requirements ? relativeTo(dirOf(unit.path), unit.requirements) : null,
    }),
  );
}

const CREDENTIAL_ENVS = ['draft', 'live'] as const;

function credentialBlocks(v: Record<string, unknown>): CredentialBlock[] {
  const out: CredentialBlock[] = [];
  const environments = obj(v.environments);
  for (const env of CREDENTIAL_ENVS) {
    const block = obj(environments[env]);
    const credentials = block.credentials;
    if (!credentials || typeof credentials !== 'object' || Array.isArray(credentials)) continue;
    const fields: CredentialBlock['fields'] = {};
    for (const [k, val] of Object.entries(credentials as Record<string, unknown>)) {
      if (val && typeof val === 'object' && !Array.isArray(val)) {
        fields[k] = Object.fromEntries(Object.entries(val as Record<string, unknown>).map(([ek, ev]) => [ek, String(ev ?? '')]));
      } else if (val !== undefined && val !== null) fields[k] = String(val);
    }
    out.push({ env, kind: String(block.kind ?? ''), fields });
  }
  return out;
}

/**
 * The connection file as imported: its `credentials` blocks removed (they hold `${NAME}`
 * placeholders that `connections set-credentials` fills afterwards, never the imported file) and,
 * given a stage, every other environment block too — a Draft-stage deploy must not touch the
 * tenant's live configuration (the live stage of the tenant is another environment), nor a
 * live-stage deploy the draft one.
 */
export function withoutCredentials(path: string, text: string, onlyEnv?: 'draft' | 'live'): string {
  if (/\.json$/i.test(path)) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      const environments = obj(value.environments);
      for (const [env, block] of Object.entries(environments)) {
        if (onlyEnv && env !== onlyEnv) delete environments[env];
        else if (block && typeof block === 'object') delete (block as Record<string, unknown>).credentials;
      }
      return `${JSON.stringify(value, null, 2)}\n`;
    } catch {
      return text;
    }
  }
  const doc = parseDocument(text, ADK_YAML_OPTIONS as object);
  if (doc.errors.length) return text;
  const environments = obj(doc.toJS()).environments;
  for (const env of Object.keys(obj(environments))) {
    if (onlyEnv && env !== onlyEnv) doc.deleteIn(['environments', env]);
    else if (doc.hasIn(['environments', env, 'credentials'])) doc.deleteIn(['environments', env, 'credentials']);
  }
  return doc.toString({ lineWidth: 0 });
}

function parseTenantFile(text: string): TenantFile {
  const parsed = parseWxoFile(TENANT_FILE, text);
  const v = obj(parsed.ok ? parsed.value : undefined);
  const o = obj(v.orchestrate);
  const out: TenantFile = {};
  if (str(o.env_name)) out.envName = str(o.env_name)!;
  if (str(o.url)) out.url = str(o.url)!;
  if (str(o.auth_type)) out.authType = str(o.auth_type)!;
  const key = new RegExp(`^${SECRET_PLACEHOLDER.source}$`).exec(String(o.api_key ?? '').trim());
  if (key) out.apiKeySecret = key[1]!;
  return out;
}

/** A commit's files as the builder needs them (shell: two `git cat-file --batch` reads). */
async function loadSnapshotFiles(root: string, rev: string, policy: Policy): Promise<SnapshotFiles> {
  const entries = listSnapshot(root, { type: 'commit', rev });
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const paths = entries.map((e) => e.path);
  const content = new Map<string, Buffer>();
  const read = async (wanted: readonly string[]) => {
    const list = wanted.map((p) => byPath.get(p)).filter((e): e is NonNullable<typeof e> => Boolean(e?.oid));
    for await (const file of readBlobs(root, list)) if (file.content) content.set(file.entry.path, file.content);
  };
  await read(firstPassPaths(paths, policy));
  const more = dependencyPaths({ paths, content }, policy);
  if (more.length) await read(more);
  return { paths, content };
}

/** The resource set of a commit. */
export async function loadResourceSet(root: string, rev: string, policy: Policy): Promise<ResourceSet> {
  return buildResourceSet(await loadSnapshotFiles(root, rev, policy), policy);
}
