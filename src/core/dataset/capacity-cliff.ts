// The prefix-cache capacity cliff (peer-tools "what none of them has" #7): over a sweep of prefix
// working-set sizes (groups × prefix length), the hit ratio stays on a plateau while the working
// set fits the cache and falls off once LRU eviction starts thrashing. This finds where.

export interface WorkingSetPoint {
  /** tokens of distinct prefixes the cell cycles through (groups × prefix length) */
  workingSetTokens: number;
  /** the cell's hit ratio (0..1); null when the server reported nothing */
  hitRatio: number | null;
}

export interface CapacityCliff {
  /** the points with a hit ratio, ascending by working set */
  points: { workingSetTokens: number; hitRatio: number }[];
  /** the best hit ratio at or before the cliff */
  plateauHitRatio: number;
  /** the ratio under which the cache counts as fallen off: plateau · (1 − dropFraction) */
  thresholdHitRatio: number;
  cliff: {
    /** the largest working set still on the plateau side, and the first one below the threshold */
    lastGood: { workingSetTokens: number; hitRatio: number };
    firstBad: { workingSetTokens: number; hitRatio: number };
    /** the working set where the straight line between them crosses the threshold: an estimate of the cache's capacity */
    estimatedCapacityTokens: number;
  } | null;
  /** why there is no cliff, when there is none */
  reason?: string;
}

/**
 * The first working set whose hit ratio falls below `plateau · (1 − dropFraction)` (default 0.5),
 * where plateau is the best ratio of the smaller working sets. Points with a null ratio are
 * skipped; duplicate working sets are averaged.
 */
export function findCapacityCliff(points: readonly WorkingSetPoint[], dropFraction = 0.5): CapacityCliff {
  if (!(dropFraction > 0 && dropFraction < 1))
    throw new RangeError(`dropFraction must be in (0, 1), got ${dropFraction}`);
  const byWs = new Map<number, number[]>();
  for (const p of points) {
    if (p.hitRatio === null || !Number.isFinite(p.hitRatio)) continue;
    const list = byWs.get(p.workingSetTokens) ?? [];
    list.push(p.hitRatio);
    byWs.set(p.workingSetTokens, list);
  }
  const sorted = [...byWs.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([workingSetTokens, ratios]) => ({
      workingSetTokens,
      hitRatio: ratios.reduce((s, r) => s + r, 0) / ratios.length,
    }));
  const none = (reason: string, plateau = 0): CapacityCliff => ({
    points: sorted,
    plateauHitRatio: plateau,
    thresholdHitRatio: plateau * (1 - dropFraction),
    cliff: null,
    reason,
  });
  if (sorted.length < 2) return none('fewer than two working-set sizes with a hit ratio');
  let plateau = (sorted[0] as { hitRatio: number }).hitRatio;
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as { workingSetTokens: number; hitRatio: number };
    const cur = sorted[i] as { workingSetTokens: number; hitRatio: number };
    const threshold = plateau * (1 - dropFraction);
    if (plateau > 0 && cur.hitRatio < threshold) {
      // prev is on the plateau side (≥ threshold, or the loop would have stopped there).
      const span = prev.hitRatio - cur.hitRatio;
      const t = span > 0 ? (prev.hitRatio - threshold) / span : 0;
      return {
        points: sorted,
        plateauHitRatio: plateau,
        thresholdHitRatio: threshold,
        cliff: {
          lastGood: prev,
          firstBad: cur,
          estimatedCapacityTokens: prev.workingSetTokens + t * (cur.workingSetTokens - prev.workingSetTokens),
        },
      };
    }
    plateau = Math.max(plateau, cur.hitRatio);
  }
  if (plateau === 0) return none('no hits at any working-set size (is prefix caching on?)');
  return none('the hit ratio never fell below the threshold: the largest working set still fits', plateau);
}
