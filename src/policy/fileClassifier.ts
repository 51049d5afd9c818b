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
/** A path with a `.` or `..` segment or an empty one. */
const ODD_PATH = /(^|\/)\.{1,2}(\/|$)|\/\//;

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
  // A glob without any pattern character matches exactly itself (`tenant.yaml`).
  if (!/[*?[\]{}()!+@\\]/.test(glob) && !glob.startsWith('./') && !glob.endsWith('/')) return (path) => path === glob;
  const picomatchTest = picomatch(glob, OPTIONS);
  // `dir/**/*.ext` (the usual `files:` entry): the directory and the extension decide, except for
  // paths with `.`/`..` segments or `//`, which git never lists (picomatch decides those).
  const recursive = /^[^*?[\]{}()!+@\\]+\/\*\*\/\*\.(?:\{[A-Za-z0-9,]+\}|[A-Za-z0-9]+)$/.test(glob);
  const test = recursive ? (path: string) => (ODD_PATH.test(path) ? picomatchTest(path) : true) : picomatchTest;
  const prefix = /^[^*?[{(!]*\//.exec(glob)?.[0] ?? '';
  const extMatch = /\*\.(?:\{([A-Za-z0-9,]+)\}|([A-Za-z0-9]+))$/.exec(glob);
  const exts = extMatch ? new Set((extMatch[1] ?? extMatch[2]!).split(',').map((e) => `.${e}`)) : undefined;
  // Made of `*`, `/` and plain characters only: each plain run of it is in every path it matches
  // (`**/node_modules/**` needs "node_modules").
  const runs = /^[^?[\]{}()!+@\\]*$/.test(glob) ? glob.split(/[*/]+/).filter((r) => r.length >= 3) : [];
  return (path) => {
    // (`dir/**` also matches `dir` itself.)
    if (prefix && !path.startsWith(prefix) && path !== prefix.slice(0, -1)) return false;
    if (exts) {
      const dot = path.lastIndexOf('.');
      if (dot < 0 || !exts.has(path.slice(dot))) return false;
    }
    for (const run of runs) if (!path.includes(run)) return false;
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
