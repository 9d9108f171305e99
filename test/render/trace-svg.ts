// Reads back the SVG of a trace chart: the bars vega drew for the layer named `series`.

/** The paths inside every `series_marks` group (one per facet panel). */
export function seriesPaths(svg: string): string[] {
  const paths: string[] = [];
  for (const g of svg.matchAll(/<g class="mark-rect role-mark series_marks"[^>]*>([\s\S]*?)<\/g>/g)) {
    paths.push(...((g[1] ?? '').match(/<path[^>]*>/g) ?? []));
  }
  return paths;
}

/** A standalone SVG document: one root element, opened and closed. */
export const SVG_DOCUMENT = /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/;
