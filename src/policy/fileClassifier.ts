import picomatch from 'picomatch';
import type { FileKindSetting, Policy } from './model.js';

/** Glob sets of the policy, compiled once per run. */
export interface FileClassifier {
  /** The kind the policy's `files` mapping gives a path (first match wins). */
  kindSetting(path: string): FileKindSetting | undefined;
  isIgnored(path: string): boolean;
  isTenantScoped(path: string): boolean;
  isForbidden(path: string): boolean;
  isSecretScanExcluded(path: string): boolean;
}

const OPTIONS = { dot: true };

/** A glob list where `!pattern` entries carve exceptions out of the others. */
export function globList(patterns: readonly string[]): (path: string) => boolean {
  const include = patterns.filter((p) => !p.startsWith('!')).map(guardedMatcher);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => guardedMatcher(p.slice(1)));
  return (path) => include.some((m) => m(path)) && !exclude.some((m) => m(path));
}

/**
 * picomatch with two exact shortcuts in front: a literal directory prefix and a `*.{ext,…}`
 * ending are necessary conditions, and checking them first spares most of the regex tests when a
 * hook classifies the ten thousand paths of a repository.
 */
function guardedMatcher(glob: string): (path: string) => boolean {
  const test = picomatch(glob, OPTIONS);
  const prefix = /^[^*?[{(!]*\//.exec(glob)?.[0] ?? '';
  const extMatch = /\*\.(?:\{([A-Za-z0-9,]+)\}|([A-Za-z0-9]+))$/.exec(glob);
  const exts = extMatch ? new Set((extMatch[1] ?? extMatch[2]!).split(',').map((e) => `.${e}`)) : undefined;
  return (path) => {
    if (prefix && !path.startsWith(prefix)) return false;
    if (exts) {
      const dot = path.lastIndexOf('.');
      if (dot < 0 || !exts.has(path.slice(dot))) return false;
    }
    return test(path);
  };
}

export function compileClassifier(policy: Policy): FileClassifier {
  const mapping = policy.files.map((f) => ({ test: guardedMatcher(f.match), kind: f.kind }));
  const ignored = globList(policy.ignore);
  const tenantScoped = globList(policy.tenant_scoped);
  const forbidden = globList(policy.forbidden_files);
  const secretExcluded = globList(policy.secrets.exclude);
  // A check asks for the kind of every path of the snapshot more than once (values file, context
  // facts, analysis): remember the answers.
  const kinds = new Map<string, FileKindSetting | undefined>();
  return {
    kindSetting: (path) => {
      if (kinds.has(path)) return kinds.get(path);
      const kind = mapping.find((m) => m.test(path))?.kind;
      kinds.set(path, kind);
      return kind;
    },
    isIgnored: ignored,
    isTenantScoped: tenantScoped,
    isForbidden: forbidden,
    isSecretScanExcluded: secretExcluded,
  };
}
