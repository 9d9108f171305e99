import { describe, expect, it } from 'vitest';
import { errorReasons } from '../../../src/core/schema/error-reasons.js';
import { appendixA3Report, appendixA4Report, sampleExtension } from '../../fixtures/appendix-a-reports.js';

describe('errorReasons', () => {
  it('is empty for a clean cell', () => {
    expect(errorReasons(appendixA3Report())).toEqual([]);
  });

  it("lists ferrum's non-zero counters with per-run counts and totals", () => {
    expect(errorReasons(appendixA4Report())).toEqual([{ reason: 'http_500', perRun: [0, 2, 0], total: 2 }]);
  });

  it('puts the extended taxonomy first (sorted) and does not repeat a flag it carries', () => {
    const r = {
      ...appendixA4Report(),
      goodput: sampleExtension({
        errors_per_run: { timeout: [1, 0, 0], http_500: [0, 2, 0], connect_error: [0, 0, 1] },
      }),
    };
    expect(errorReasons(r).map((e) => e.reason)).toEqual(['connect_error', 'http_500', 'timeout']);
  });
});
