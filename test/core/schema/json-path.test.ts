import { describe, expect, it } from 'vitest';
import { formatJsonPath } from '../../../src/core/schema/json-path.js';

describe('formatJsonPath', () => {
  it.each([
    [[], '', ''],
    [['cells', 2, 'ttft_ms', 'p50', 'mean'], '', 'cells[2].ttft_ms.p50.mean'],
    [[0, 'slo'], '', '[0].slo'],
    [['mean'], 'cells[1]', 'cells[1].mean'],
    [[3], 'offsets_ms', 'offsets_ms[3]'],
  ] as Array<[PropertyKey[], string, string]>)('formats %j after %j as %j', (path, base, expected) => {
    expect(formatJsonPath(path, base)).toBe(expected);
  });
});
