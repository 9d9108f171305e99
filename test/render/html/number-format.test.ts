import { describe, expect, it } from 'vitest';
import { formatCi, formatPercent, formatValue, shownCi } from '../../../src/render/html/number-format.js';

describe('number formatting', () => {
  it.each([
    [1823.1073, '1,823'],
    [142.93, '142.9'],
    [48.754, '48.75'],
    [5.8634, '5.86'],
    [0.012345, '0.0123'],
    [0, '0'],
  ])('formatValue(%d) = %s', (x, s) => expect(formatValue(x)).toBe(s));

  it.each([
    [14.0407, '14'],
    [0.002671, '0.0027'],
    [0.41, '0.41'],
    [159.5, '160'],
    [1234.4, '1,234'],
  ])('formatCi(%d) = %s', (x, s) => expect(formatCi(x)).toBe(s));

  it('formats shares as percentages', () => {
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0.9234)).toBe('92.3 %');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it("shows a CI only from 3 repeats up and only when it is not 0 (ferrum's rule)", () => {
    expect(shownCi(5, 1.5)).toBe(1.5);
    expect(shownCi(2, 1.5)).toBeNull();
    expect(shownCi(3, 0)).toBeNull();
  });
});
