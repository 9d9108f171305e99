// Turns a vega-lite spec into a standalone SVG string with vega's headless view (no DOM, no
// canvas): the only place vega is loaded, lazily, so importing the renderers costs nothing.

import type { TopLevelSpec } from 'vega-lite';

type VegaModules = { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };
let modules: Promise<VegaModules> | undefined;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({
    vega,
    vegaLite,
  }));
  return modules;
}

/**
 * Renders `spec` to SVG. Every id inside the SVG (clip paths, gradients) gets the prefix
 * `idPrefix`, so several charts can be inlined in one HTML page without their `url(#…)`
 * references colliding, and the output is the same for the same input (vega's own id counter is
 * process-global). Charts are rendered one at a time for that reason.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  vega.resetSVGDefIds();
  try {
    const svg = await view.toSVG();
    return prefixSvgIds(compactSvgNumbers(dropInertAttributes(svg)), idPrefix);
  } finally {
    view.finalize();
  }
}

/** Rewrites every `id="x"` and its `url(#x)` / `href="#x"` references to `<prefix>-x`. */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (m[1] !== undefined) ids.add(m[1]);
  if (ids.size === 0) return svg;
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : whole))
    .replace(/href="#([^"]+)"/g, (whole, id: string) => (ids.has(id) ? `href="#${prefix}-${id}"` : whole));
}

/**
 * Rounds the numbers inside attribute values (coordinates, path data, transforms) to 2 decimals:
 * vega writes full doubles (`30.00000000000003`), and 1/100 px is far below what a screen shows.
 * Text content (axis labels, legends) is left exactly as vega wrote it.
 */
export function compactSvgNumbers(svg: string): string {
  return svg.replace(/(\s[\w:-]+=")([^"]*)"/g, (_, head: string, value: string) => {
    const compact = value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => {
      const rounded = Math.round(Number(n) * 100) / 100;
      return String(Object.is(rounded, -0) ? 0 : rounded);
    });
    return `${head}${compact}"`;
  });
}

/**
 * Drops attributes that change nothing in a static image: `opacity="1"` (the default), and the
 * interaction and accessibility hints of marks that have none here (pointer-events, aria-hidden,
 * per-group roles); the page describes each chart in its caption instead.
 */
export function dropInertAttributes(svg: string): string {
  return svg.replace(
    / (?:opacity="1"|pointer-events="none"|aria-hidden="true"|role="graphics-object"|aria-roledescription="[^"]*")/g,
    '',
  );
}
