/** A repository path with `.`, `..` and doubled slashes resolved (`kb/docs/../a.md` → `kb/a.md`). */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}
