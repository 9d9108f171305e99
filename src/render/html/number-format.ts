// Number formatting of the HTML pages: latencies and rates with a precision that suits their size,
// `mean ± ci` the way ferrum shows it (no ± below 3 repeats), and percentages.

/** 3 significant digits for small values, whole numbers from 1000 up: 0.123, 12.3, 123.4, 1234. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(3);
}

/** A CI half-width to two significant digits (its own precision is no better): 0.0027, 0.42, 14, 230. */
export function formatCi(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(2)));
}

/** A share in 0..1 as a percentage with one decimal below 100 %. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  return pct >= 99.95 && pct <= 100 ? '100 %' : `${pct.toFixed(1)} %`;
}

/** The CI half-width to show, or null when there is none (fewer than 3 repeats, or exactly 0). */
export function shownCi(nRepeats: number, ci95Hw: number): number | null {
  return nRepeats >= 3 && ci95Hw > 0 ? ci95Hw : null;
}
