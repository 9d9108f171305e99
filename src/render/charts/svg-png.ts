// Rasterises a chart SVG to PNG with resvg (a native renderer, no browser), for READMEs and PRs.
// resvg is loaded lazily on first use; text uses the system's sans-serif fonts.

let resvgModule: Promise<typeof import('@resvg/resvg-js')> | undefined;

/**
 * Renders `svg` to PNG bytes at `scale` × its CSS pixel size (2 by default, sharp on high-DPI
 * screens). The SVG's own white background is kept.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  resvgModule ??= import('@resvg/resvg-js');
  const { Resvg } = await resvgModule;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  return new Uint8Array(resvg.render().asPng());
}
