import { describe, expect, it } from 'vitest';
import {
  compactSvgNumbers,
  dropInertAttributes,
  prefixSvgIds,
  renderVegaLiteSvg,
} from '../../../src/render/charts/vega-svg.js';

describe('prefixSvgIds', () => {
  it('prefixes every id and the references to it, leaving foreign references alone', () => {
    const svg =
      '<clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/><use href="#clip1"/><g fill="url(#other)"/>';
    expect(prefixSvgIds(svg, 'cdf')).toBe(
      '<clipPath id="cdf-clip1"><rect/></clipPath><g clip-path="url(#cdf-clip1)"/><use href="#cdf-clip1"/><g fill="url(#other)"/>',
    );
  });

  it('returns an svg without ids unchanged', () => {
    expect(prefixSvgIds('<svg><path d="M0,0"/></svg>', 'x')).toBe('<svg><path d="M0,0"/></svg>');
  });
});

describe('compactSvgNumbers', () => {
  it('rounds long decimals inside attributes to 2 places', () => {
    expect(
      compactSvgNumbers('<text transform="translate(30.00000000000003,15)" x="-0.0001">1.23456</text>'),
    ).toBe('<text transform="translate(30,15)" x="0">1.23456</text>');
  });

  it('keeps short numbers and text content exactly', () => {
    const svg = '<path d="M1.5,2.25L3,4" stroke-width="1.2"/><text>0.00267</text>';
    expect(compactSvgNumbers(svg)).toBe(svg);
  });
});

describe('dropInertAttributes', () => {
  it('drops default opacity and interaction hints only', () => {
    expect(
      dropInertAttributes(
        '<g opacity="1" pointer-events="none" aria-hidden="true"><path opacity="0.5"/></g>',
      ),
    ).toBe('<g><path opacity="0.5"/></g>');
  });
});

describe('renderVegaLiteSvg', () => {
  const hostile = '<script>alert(1)</script> & "x"';
  const spec = {
    data: {
      values: [
        { x: 1, y: 2, c: hostile },
        { x: 2, y: 3, c: hostile },
      ],
    },
    mark: 'line' as const,
    title: hostile,
    encoding: {
      x: { field: 'x', type: 'quantitative' as const },
      y: { field: 'y', type: 'quantitative' as const },
      color: { field: 'c', type: 'nominal' as const },
    },
  };

  it('escapes data strings in text and attributes (vega does, and this checks it stays so)', async () => {
    const svg = await renderVegaLiteSvg(spec, 't');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('gives the same SVG for the same spec (ids do not depend on earlier renders)', async () => {
    const a = await renderVegaLiteSvg(spec, 't');
    await renderVegaLiteSvg({ ...spec, title: 'another chart' }, 'u');
    const b = await renderVegaLiteSvg(spec, 't');
    expect(b).toBe(a);
  });
});
