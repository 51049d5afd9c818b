import { extractResources, isWxoKind } from '../kinds/catalogue.js';
import { VALUE_PLACEHOLDER } from '../resources/values.js';
import type { Anchor } from '../kinds/types.js';
import type { AnalyzeContext, FileInput, TextInput } from './fileInput.js';
import type { FileFacts, Located, TenantOrchestrateFacts } from './types.js';

/**
 * What the repository-wide rules (references, tenant-binding) need to know about one file: its
 * kind, the resources it declares and refers to, the tenant it declares, the values it defines and
 * uses. Facts travel between threads and into the cache: positions, not the paths they came from.
 */
export function fileFacts(file: FileInput, ctx: AnalyzeContext): FileFacts {
  const facts: FileFacts = { resources: [], refs: [] };
  if (file.form !== 'text') return facts;
  const { kind, value, parsedOk, structured, at } = file;
  if (kind) facts.kind = kind;
  if (kind === 'values' && structured && parsedOk && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    facts.valueKeys = flattenKeys((value as { values?: unknown }).values);
  }
  if (kind && (parsedOk || !structured) && ctx.only !== 'secrets') {
    const extracted = extractResources(kind, value, file.text);
    facts.resources = extracted.resources.map((r) => located(r, at));
    // One literal of the six properties a reference has: all six live in the object (one filled
    // key by key keeps the fifth and sixth in a second one; at 100,000 files, half a million refs).
    facts.refs = extracted.refs.map((r) => {
      const { line, column } = at(r.anchor);
      return { kind: r.kind, name: r.name, from: r.from, via: r.via, line, column };
    });
  }
  if (ctx.classifier.isTenantScoped(file.path) && parsedOk) {
    const tenant = (value as { tenant?: unknown } | null)?.tenant;
    facts.tenant = typeof tenant === 'string' && tenant ? { name: tenant, ...at(['tenant']) } : { name: null, line: 1, column: 1 };
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
  if (kind && isWxoKind(kind) && file.text.includes('${values.')) {
    facts.valueRefs = [...file.text.matchAll(VALUE_PLACEHOLDER)].map((m) => ({ key: m[1]!, ...file.positionOf(m.index!) }));
  }
  return facts;
}

/**
 * A declaration or reference with its anchor resolved to line:column, in place of the anchor.
 * (The same object as `({ anchor, ...r }) => ({ ...r, ...at(anchor) })`, which V8 builds through
 * a slow generic copy: thousands of times per repository.)
 */
function located<T extends { anchor: Anchor }>(item: T, at: TextInput['at']): Omit<T, 'anchor'> & Located {
  const out: Record<string, unknown> = {};
  for (const key in item) if (key !== 'anchor') out[key] = item[key];
  const { line, column } = at(item.anchor);
  out.line = line;
  out.column = column;
  return out as Omit<T, 'anchor'> & Located;
}

function flattenKeys(node: unknown, prefix = ''): string[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return prefix ? [prefix] : [];
  const out: string[] = prefix ? [prefix] : [];
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) out.push(...flattenKeys(v, prefix ? `${prefix}.${k}` : k));
  return out;
}
