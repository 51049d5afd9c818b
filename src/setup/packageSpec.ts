import { isAbsolute, relative, resolve } from 'node:path';

/**
 * How a GitOps repository's clones get wxo-policy: the devDependency spec `init --package-spec`
 * writes, judged for portability — does `npm ci` in another clone (Jenkins' first stage) install
 * the same package without the public npm registry having it? Pure.
 */
export type SpecKind = 'vendored' | 'tarball-url' | 'git' | 'alias' | 'outside' | 'registry' | 'directory';

export interface SpecVerdict {
  kind: SpecKind;
  portable: boolean;
}

export function judgePackageSpec(spec: string, root: string): SpecVerdict {
  const s = spec.trim();
  if (/^file:/.test(s)) {
    const path = s.slice('file:'.length);
    const rel = relative(root, resolve(root, path));
    if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel)) return { kind: 'outside', portable: false };
    // A directory in the repository would be a copy of the sources: npm links it, unbuilt.
    return /\.(tgz|tar\.gz)$/.test(path) ? { kind: 'vendored', portable: true } : { kind: 'directory', portable: false };
  }
  // git+file:///srv/wxo-policy.git is a path on this machine, like file: outside the repository.
  if (/^git\+file:/.test(s)) return { kind: 'outside', portable: false };
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(s)) return { kind: 'git', portable: true };
  if (/^https?:\/\//.test(s)) return { kind: 'tarball-url', portable: true };
  if (/^npm:@[^/]+\//.test(s)) return { kind: 'alias', portable: true };
  return { kind: 'registry', portable: false };
}
