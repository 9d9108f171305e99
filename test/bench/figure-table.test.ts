import { describe, expect, it } from 'vitest';
import { formatMarkdownTable, pairedRow } from '../../bench/figure-table.js';
import { roundOrder, roundRotation } from '../../bench/round-summary.js';

describe("npm run bench's markdown table", () => {
  it('pairs rounds into per-round ratios, keeps every row seven cells wide and escapes | inside a cell', () => {
    const row = pairedRow(
      {
        figure: 2,
        what: '|ITL error| p99, 16 streams',
        unit: 'ms',
        referenceName: 'raw reader',
        target: '≤ 1.5 × raw',
        digits: 3,
      },
      [2, 3, 4],
      [1, 2, 2],
      (_v, _r, ratio) => ratio.median <= 1.5,
    );
    // ratios per round 2, 1.5, 2: median 2, not 3 / 2 (the ratio of the medians)
    expect(row.ratio.median).toBe(2);
    expect(row.met).toBe(false);
    const lines = formatMarkdownTable([row]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const body = lines[2] as string;
    expect(body).toContain('\\|ITL error\\| p99');
    expect(body.endsWith('| NO |')).toBe(true);
    // cells split on unescaped pipes only
    expect(body.split(/(?<!\\)\|/).length - 2).toBe(7);
  });
});

describe('round order of several sides', () => {
  it('rotates by one each round, so every side goes first, middle and last equally often', () => {
    const orders = [0, 1, 2, 3].map((r) => roundRotation(r, ['sim', 'client', 'raw']).join(' '));
    expect(orders).toEqual(['sim client raw', 'client raw sim', 'raw sim client', 'sim client raw']);
    // two sides: the same as the alternating order
    expect([0, 1].map((r) => roundRotation(r, ['a', 'b']))).toEqual(
      [0, 1].map((r) => roundOrder(r, 'a', 'b')),
    );
  });
});
