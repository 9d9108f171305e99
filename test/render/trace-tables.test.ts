import { describe, expect, it } from 'vitest';
import {
  formatRatio,
  formatShare,
  formatUsAsMs,
  htmlTable,
  textTable,
} from '../../src/render/trace-tables.js';

describe('trace tables', () => {
  it('aligns labels left and numbers right', () => {
    expect(
      textTable(
        ['phase', 'category', 'ms'],
        [
          ['first', 'moe', '95.900'],
          ['', 'total', '116.142'],
        ],
        2,
      ),
    ).toBe(['phase  category       ms', 'first  moe        95.900', '       total     116.142'].join('\n'));
  });

  it('escapes every HTML cell', () => {
    expect(htmlTable(['<a>', 'n'], [['<b>', '1']])).toBe(
      '<table><thead><tr><th>&lt;a&gt;</th><th class="num">n</th></tr></thead><tbody>\n<tr><td>&lt;b&gt;</td><td class="num">1</td></tr>\n</tbody></table>',
    );
  });

  it.each([
    [formatUsAsMs(19_054), '19.054'],
    [formatUsAsMs(-577), '-0.577'],
    [formatShare(0.8259), '82.6 %'],
    [formatRatio(2), '2.000'],
    [formatRatio(null), 'n/a'],
  ])('%s → %s', (got, want) => {
    expect(got).toBe(want);
  });
});
