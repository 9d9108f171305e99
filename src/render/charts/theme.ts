// The look shared by every chart and page: the series palette, verdict colours, the font stack and
// the vega-lite config that applies them, so HTML pages and static SVG/PNG files match.

/** Ten distinguishable series colours (Observable 10), cycled when there are more cells. */
export const SERIES_COLORS: readonly string[] = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

/** Comparison verdict colours: better, worse, no significant change, not assessable. */
export const VERDICT_COLORS = {
  better: '#1a7f37',
  worse: '#cf222e',
  same: '#8c959f',
  unknown: '#bf8700',
} as const;

/** The colour of cell `index` in the series palette. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? '#4269d0';
}

export const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';
export const INK = '#1f2328';
export const MUTED_INK = '#59636e';
export const GRID = '#e6e8eb';

/** Standard plot area of one chart, in CSS pixels. */
export const CHART_WIDTH_PX = 440;
export const CHART_HEIGHT_PX = 240;

/**
 * The vega-lite `config` block every chart uses. `aria: false` keeps the SVG small: each page
 * describes its charts in a caption instead of per-mark aria labels. The font is the generic
 * `sans-serif` (written on every text element, so kept short): HTML pages set the real stack in
 * CSS, and resvg maps it to DejaVu Sans for PNGs.
 */
export const VEGA_LITE_CONFIG = {
  aria: false,
  background: '#ffffff',
  padding: 8,
  font: 'sans-serif',
  view: { stroke: null },
  title: {
    anchor: 'start',
    fontSize: 14,
    fontWeight: 600,
    color: INK,
    subtitleColor: MUTED_INK,
    subtitleFontSize: 11,
    offset: 10,
  },
  axis: {
    labelColor: MUTED_INK,
    titleColor: INK,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    gridColor: GRID,
    domainColor: '#b6bcc3',
    tickColor: '#b6bcc3',
  },
  legend: {
    labelColor: INK,
    titleColor: INK,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 4,
    symbolStrokeWidth: 2,
  },
  header: { labelColor: INK, labelFontSize: 12, labelFontWeight: 600, titleFontSize: 0 },
  range: { category: SERIES_COLORS as string[] },
  line: { strokeWidth: 2 },
  point: { size: 40, filled: true },
} as const;
