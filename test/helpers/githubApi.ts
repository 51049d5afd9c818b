import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import AjvModule, { type ValidateFunction } from 'ajv';
import { CLI, type CliResult } from './cli.js';

/**
 * GitHub's published REST description (the @octokit/openapi package) as validators: request bodies
 * and responses of one operation. Object schemas are closed (additionalProperties: false) here, so
 * a misspelt field fails instead of being ignored the way GitHub's open schemas would allow.
 */
const require = createRequire(import.meta.url);
let spec: any;
function description(): any {
  spec ??= JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
  return spec;
}

function close(schema: any): any {
  if (Array.isArray(schema)) return schema.map(close);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema))
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, close(s)])) : close(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The operation's schema with every `#/components/schemas/X` it reaches copied into `definitions`. */
function standalone(root: any, closed: boolean): any {
  const components = description().components.schemas;
  const definitions: Record<string, any> = {};
  const rewrite = (node: any): any => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (!(name in definitions)) {
        definitions[name] = {};
        definitions[name] = rewrite(closed ? close(components[name]) : components[name]);
      }
      return { $ref: `#/definitions/${name}` };
    }
    const out: any = {};
    for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples' && k !== 'nullable') out[k] = rewrite(v);
    if (node.nullable !== true) return out;
    // OpenAPI 3.0's `nullable` in JSON Schema terms.
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
    return { anyOf: [out, { type: 'null' }] };
  };
  const body = rewrite(closed ? close(root) : root);
  return { ...body, definitions };
}

// ajv is CommonJS: its class is the default export's `default` under NodeNext.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as any)({ strict: false, allErrors: true, validateFormats: false });

export function requestValidator(method: string, path: string): ValidateFunction {
  const op = description().paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`no ${method} ${path} in GitHub's description`);
  return ajv.compile(standalone(op.requestBody.content['application/json'].schema, true));
}

export function responseValidator(method: string, path: string, status: number): ValidateFunction {
  const op = description().paths[path]?.[method.toLowerCase()];
  const schema = op?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no ${status} response of ${method} ${path} in GitHub's description`);
  return ajv.compile(standalone(schema, false));
}

export function problems(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** A recorded request the fake server received. */
export interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  /** GitLab's token header. */
  privateToken: string | undefined;
  body: unknown;
}

export interface FakeServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1. `handle` answers one request: [status, JSON body]; a thrown
 * error becomes a 500 the test sees in `failures`.
 */
export async function fakeServer(
  handle: (req: Received) => [number, unknown] | Promise<[number, unknown]>,
): Promise<FakeServer & { failures: string[] }> {
  const received: Received[] = [];
  const failures: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const r: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      privateToken: req.headers['private-token'] as string | undefined,
      body: text ? JSON.parse(text) : undefined,
    };
    received.push(r);
    try {
      const [status, body] = await handle(r);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    } catch (e) {
      failures.push(`${r.method} ${r.url}: ${(e as Error).message}`);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: (e as Error).message }));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, failures, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** The CLI as a child process that does not block this process (the fake server answers meanwhile). */
export function runCliAsync(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr, output: stdout + stderr }));
  });
}
