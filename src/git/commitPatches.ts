import { git } from './git.js';

/**
 * What each commit of a range added: for every file it added or modified, the new blob and the
 * line numbers of the added lines. Merge commits are diffed against their first parent.
 */
export interface CommitFileChange {
  commit: string;
  path: string;
  oid: string;
  addedLines: Set<number>;
}

export function commitPatches(root: string, revArgs: readonly string[]): CommitFileChange[] {
  const out = git(root, [
    '-c',
    'core.quotePath=false',
    'log',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
    '--diff-merges=first-parent',
    '--raw',
    '-p',
    '-U0',
    '--format=%x00%H',
    ...revArgs,
  ]).stdout;
  return parseCommitPatches(out);
}

export function parseCommitPatches(output: string): CommitFileChange[] {
  const changes: CommitFileChange[] = [];
  for (const chunk of output.split('\0').slice(1)) {
    const lines = chunk.split('\n');
    const commit = lines[0]!.trim();
    const oids = new Map<string, string>();
    let current: CommitFileChange | undefined;
    for (const line of lines.slice(1)) {
      if (line.startsWith(':')) {
        // :<old mode> <new mode> <old oid> <new oid> <status>\t<path>
        const tab = line.indexOf('\t');
        const fields = line.slice(1, tab).split(' ');
        const status = fields[4]!.charAt(0);
        if (status === 'A' || status === 'M' || status === 'T') oids.set(unquote(line.slice(tab + 1)), fields[3]!);
      } else if (line.startsWith('+++ ')) {
        const target = line.slice(4);
        current = undefined;
        if (target !== '/dev/null') {
          const path = unquote(target).replace(/^b\//, '');
          const oid = oids.get(path);
          if (oid) {
            current = { commit, path, oid, addedLines: new Set() };
            changes.push(current);
          }
        }
      } else if (line.startsWith('@@') && current) {
        const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
        if (m) {
          const start = Number(m[1]);
          const count = m[2] === undefined ? 1 : Number(m[2]);
          for (let i = 0; i < count; i++) current.addedLines.add(start + i);
        }
      } else if (line.startsWith('diff --git')) {
        current = undefined;
      }
    }
  }
  return changes;
}

/** Undoes git's C-style quoting of unusual path names ("a\tb", "caf\303\251"). */
export function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const body = path.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
      bytes.push(map[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
