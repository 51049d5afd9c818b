import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMA_KINDS } from './generated/kinds.js';
import type { FileKind } from '../policy/model.js';
import { pointerSegments } from '../yaml/locate.js';
import { describeLiteral } from '../secretValue/mask.js';

/** Every file kind but Python tools has a JSON Schema in schemas/ (export names of the generated module). */
export type SchemaKind = Exclude<FileKind, 'python_tool'>;

export interface SchemaIssue {
  /** Path of the offending node inside the document. */
  path: string[];
  /**
   * For unknown-key warnings and rejected key names (`propertyNames`): the key, so the finding can
   * point at it rather than its parent.
   */
  key?: string;
  message: string;
  severity: 'error' | 'warning';
}

export function hasSchema(kind: string): kind is SchemaKind {
  return SCHEMA_KINDS.includes(kind);
}

/**
 * Each schema's validator is its own generated module (scripts/build.mjs), loaded on first use: a
 * hook that judges an agent does not compile the code of sixteen schemas.
 */
const loadGenerated = createRequire(import.meta.url);
const loaded = new Map<string, ValidateFunction>();
function validatorOf(kind: SchemaKind): ValidateFunction {
  let validate = loaded.get(kind);
  if (!validate) {
    if (!hasSchema(kind)) throw new Error(`no compiled schema for kind ${kind}`);
    validate = (loadGenerated(`./generated/${kind}.cjs`) as Record<string, ValidateFunction>)[kind]!;
    loaded.set(kind, validate);
  }
  return validate;
}

export function validateAs(kind: SchemaKind, value: unknown): SchemaIssue[] {
  const validate = validatorOf(kind);
  if (validate(value)) return [];
  return formatErrors(validate.errors ?? []);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

/**
 * Turns ajv's errors into one message per problem, in words a YAML author understands.
 * Unknown keys are warnings: the ADK ignores them, but they are usually typos.
 */
export function formatErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  // A failing subschema with its own message explains the problem better than the details
  // ajv collected under it; those details are dropped.
  // Scoped by instance path too: one schema can be applied to several nodes (list items, $refs).
  const explained = errors
    .filter((e) => (e.parentSchema as any)?.['x-message'] && !['if', 'then', 'else'].includes(e.keyword))
    .map((e) => ({ schema: e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/')), instance: e.instancePath }));
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const custom = (e.parentSchema as any)?.['x-message'] as string | undefined;
    const parentSchemaPath = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
    const underExplained = explained.some(
      (x) => parentSchemaPath.startsWith(x.schema + '/') && (e.instancePath === x.instance || e.instancePath.startsWith(x.instance + '/')),
    );
    if (!custom && underExplained) continue;
    const issue = describe(e, custom);
    if (!issue) continue;
    const id = `${issue.path.join('/')}|${issue.key ?? ''}|${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

function describe(e: ErrorObject, custom: string | undefined): SchemaIssue | undefined {
  const path = pointerSegments(e.instancePath);
  const p = e.params as Record<string, any>;
  // Errors inside `propertyNames` are about a key of the mapping at `path`: name it and point at it.
  const key = e.propertyName;
  if (key !== undefined) {
    const { propertyName: _key, ...rest } = e;
    const problem = custom ?? describe({ ...rest, instancePath: '' }, undefined)?.message;
    return problem === undefined ? undefined : { path, key, message: `${[...path, key].join('.')}: ${problem}`, severity: 'error' };
  }
  const where = path.length ? `${path.join('.')}: ` : '';
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path,
        key: String(p.additionalProperty),
        message:
          custom ?? `unknown key "${p.additionalProperty}"${path.length ? ` in ${path.join('.')}` : ''} (the ADK ignores it; a typo?)`,
        severity: 'warning',
      };
    case 'required':
      return { path, message: custom ?? `${where}missing required key "${p.missingProperty}"`, severity: 'error' };
  }
  if (custom) return { path, message: `${where}${custom}`, severity: 'error' };
  switch (e.keyword) {
    case 'enum':
      return {
        path,
        message: `${where}${describeLiteral(e.data, path)} is not one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`,
        severity: 'error',
      };
    case 'const':
      return { path, message: `${where}must be ${show(p.allowedValue)}, not ${describeLiteral(e.data, path)}`, severity: 'error' };
    case 'type': {
      const types = String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      return { path, message: `${where}must be ${types.join(' or ')}, not ${describeValue(e.data, path)}`, severity: 'error' };
    }
    case 'minLength':
      return {
        path,
        message: p.limit === 1 ? `${where}must not be empty` : `${where}must be at least ${p.limit} characters`,
        severity: 'error',
      };
    case 'minItems':
      return {
        path,
        message: p.limit === 1 ? `${where}must not be an empty list` : `${where}needs at least ${p.limit} entries`,
        severity: 'error',
      };
    case 'maxItems':
      return { path, message: `${where}allows at most ${p.limit} entr${p.limit === 1 ? 'y' : 'ies'}`, severity: 'error' };
    case 'minProperties':
      return { path, message: `${where}must not be empty`, severity: 'error' };
    case 'pattern':
      return { path, message: `${where}${describeLiteral(e.data, path)} does not match ${p.pattern}`, severity: 'error' };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${where}must be ${p.comparison} ${p.limit}`, severity: 'error' };
    case 'uniqueItems':
      return { path, message: `${where}has duplicate entries (items ${p.j} and ${p.i})`, severity: 'error' };
    case 'not':
      return { path, message: `${where}is not allowed here`, severity: 'error' };
    case 'oneOf':
    case 'anyOf':
      return { path, message: `${where}does not match any allowed form`, severity: 'error' };
    case 'then':
    case 'else':
    case 'propertyNames':
      return undefined; // the failing keyword inside the branch / the key check was reported on its own
    default:
      return { path, message: `${where}${e.message ?? 'is invalid'}`, severity: 'error' };
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** The value's type, and the value itself only where it cannot be a secret (describeLiteral). */
function describeValue(value: unknown, path: readonly string[]): string {
  if (value === null || Array.isArray(value) || typeof value === 'object') return describeLiteral(value, path);
  const shown = describeLiteral(value, path);
  return shown.startsWith('a ') ? shown : `${typeof value} ${shown}`;
}
