/** "Did you mean …?": the closest known word to a mistyped one, if any is close enough. Pure. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // A prefix of a longer word (--al → --all) counts as close.
    const distance = c.startsWith(w) && w.replace(/^-+/, '').length >= 2 ? 0.5 : editDistance(w, c);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const bare = w.replace(/^-+/, '');
  const limit = Math.max(1, Math.floor(bare.length / 3));
  return best.distance <= limit ? best.candidate : undefined;
}

/** Levenshtein distance, with an adjacent transposition counting as one edit (chekc → check). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
