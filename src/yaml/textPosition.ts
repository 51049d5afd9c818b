/** A 1-based line:column position in a text. */
export interface Located {
  line: number;
  column: number;
}

/** Offset → line:column (1-based) for texts, with the line index built only when first needed. */
export function positionFinder(text: string): (offset: number) => Located {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/** A file is treated as binary when its first 8 KB contain a NUL byte (git's own heuristic). */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}
