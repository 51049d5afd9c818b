import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule, { type ValidateFunction } from 'ajv';
import { PROJECT_ROOT } from './cli.js';
import type { Received } from './githubApi.js';

/**
 * GitLab's REST API for the endpoints `protect --provider gitlab` uses, as validators. The
 * description (test/fixtures/gitlab/rest-api.json) is written from GitLab's documentation pages it
 * cites: GitLab ships no machine-readable description npm can install. Parameters are read the way
 * GitLab's Grape API reads them: path, query string and JSON body together, query strings typed by
 * the schema ("40" → 40, "true" → true).
 */
interface Endpoint {
  method: string;
  path: string;
  doc: string;
  params: object;
  responses: Record<string, object>;
}

const description = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/gitlab/rest-api.json'), 'utf8')) as {
  endpoints: Endpoint[];
  definitions: Record<string, object>;
};
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as any)({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'gitlab', definitions: description.definitions });
const withDefinitions = (schema: object): object =>
  JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"gitlab#/definitions/'));

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: object): ValidateFunction {
  const known = compiled.get(key);
  if (known) return known;
  const v: ValidateFunction = ajv.compile(withDefinitions(schema));
  compiled.set(key, v);
  return v;
}

function errorsOf(v: ValidateFunction, value: unknown): string[] {
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The endpoint a method and a path below /api/v4 name, with its decoded path parameters. */
export function endpointOf(method: string, path: string): { endpoint: Endpoint; pathParams: Record<string, string> } | undefined {
  const segments = path.replace(/^\/api\/v4/, '').split('/');
  for (const endpoint of description.endpoints) {
    if (endpoint.method !== method) continue;
    const template = endpoint.path.split('/');
    if (template.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    if (
      template.every((t, i) =>
        t.startsWith('{') ? ((pathParams[t.slice(1, -1)] = decodeURIComponent(segments[i]!)), segments[i] !== '') : t === segments[i],
      )
    )
      return { endpoint, pathParams };
  }
  return undefined;
}

/** Query and path values are strings on the wire: type them as the parameter's schema says. */
function typed(value: string, schema: any): unknown {
  const resolved = schema?.$ref ? (description.definitions as any)[schema.$ref.replace('#/definitions/', '')] : schema;
  const types = [resolved?.type, ...(resolved?.anyOf ?? []).map((s: any) => s.type)].flat().filter(Boolean);
  if (types.includes('integer') && /^-?\d+$/.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function paramsSchema(endpoint: Endpoint): any {
  const p: any = endpoint.params;
  return p.$ref ? (description.definitions as any)[p.$ref.replace('#/definitions/', '')] : p;
}

/** Everything wrong with one request (method, path with query, JSON body) against GitLab's description. */
export function requestProblems(method: string, url: string, body: unknown): string[] {
  const u = new URL(url, 'http://gitlab.test');
  const found = endpointOf(method, u.pathname);
  if (!found) return [`${method} ${u.pathname} is not an endpoint of the description`];
  const props = paramsSchema(found.endpoint).properties ?? {};
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(found.pathParams)) params[k] = typed(v, props[k]);
  for (const [k, v] of u.searchParams) params[k] = typed(v, props[k]);
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) return ['the body is not a JSON object'];
    for (const [k, v] of Object.entries(body)) {
      if (k in params) return [`parameter ${k} is given twice`];
      params[k] = v;
    }
  }
  const closed = { ...paramsSchema(found.endpoint), additionalProperties: false };
  return errorsOf(validator(`${method} ${found.endpoint.path} params`, closed), params).map(
    (e) => `${method} ${found.endpoint.path}: ${e} (${found.endpoint.doc})`,
  );
}

export function receivedProblems(req: Received): string[] {
  // A body of {} on GET/DELETE is what the client sends for "no parameters".
  const body = req.body && typeof req.body === 'object' && !Object.keys(req.body).length ? undefined : req.body;
  return requestProblems(req.method, req.url, body);
}

/** What is wrong with an answer of the fake server, against the documented response entity. */
export function responseProblems(method: string, url: string, status: number, body: unknown): string[] {
  const found = endpointOf(method, new URL(url, 'http://gitlab.test').pathname);
  if (!found) return [`${method} ${url} is not an endpoint of the description`];
  const schema = found.endpoint.responses[String(status)];
  if (!schema) return status >= 400 ? [] : [`${method} ${found.endpoint.path} documents no ${status} answer`];
  return errorsOf(validator(`${method} ${found.endpoint.path} ${status}`, schema), body).map(
    (e) => `${method} ${found.endpoint.path} → ${status}: ${e}`,
  );
}
