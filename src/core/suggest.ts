// Words for one-line errors: the known names close to a mistyped one (`did you mean "border"?`) and `a, b or c`
// lists. Pure, so config files, themes and key maps all suggest the same way.

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Known words close to a mistyped one, the nearest first (at most 3): the same once case, `_` and `-` are ignored
 * (umlDir, uml-dir), one a prefix of the other (memory, mem), or a few letters apart (consoels).
 */
export function closeMatches(word: string, known: readonly string[]): string[] {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  const scored: { key: string; score: number }[] = [];
  for (const key of known) {
    const k = norm(key);
    const distance = editDistance(w, k);
    const prefix = Math.min(w.length, k.length) >= 3 && (w.startsWith(k) || k.startsWith(w));
    if (distance <= Math.max(1, Math.floor(k.length / 3)) || prefix) scored.push({ key, score: distance });
  }
  scored.sort((a, b) => a.score - b.score);
  // Only the nearest: `restart_delay` suggests restart_delay_ms, not restart and restart_max_delay_ms as well.
  return scored.filter((s) => s.score <= scored[0]!.score + 1).slice(0, 3).map((s) => s.key);
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
