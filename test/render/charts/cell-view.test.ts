import { describe, expect, it } from 'vitest';
import { cellViews, loadLabel, unmatchedRequestCount } from '../../../src/render/charts/cell-view.js';
import { SERIES_COLORS } from '../../../src/render/charts/theme.js';
import { readFixture, sweepCells, syntheticRequests } from '../html/sweep-data.js';

describe('loadLabel', () => {
  it("follows ferrum's scenario labels", () => {
    const r = readFixture('engine-pair/vllm0202_c4_n5.json');
    expect(loadLabel(r)).toBe('c=4');
    expect(loadLabel({ ...r, scenario: 'open_loop', concurrency: undefined, request_rate: 2.5 })).toBe(
      'rate=2.5',
    );
    expect(loadLabel({ ...r, scenario: 'cli', concurrency: undefined })).toBe('cli');
  });
});

describe('cellViews', () => {
  it('orders cells by series, then by load, and colours them in that order', () => {
    const cells = ['vllm0202_c16', 'ferrum-fa2-direct_c4', 'vllm0202_c1', 'ferrum-fa2-direct_c1'].map((f) =>
      readFixture(`engine-pair/${f}_n5.json`),
    );
    const views = cellViews({ cells, seriesLabels: ['vllm', 'ferrum', 'vllm', 'ferrum'] });
    expect(views.map((v) => v.label)).toEqual(['vllm · c=1', 'vllm · c=16', 'ferrum · c=1', 'ferrum · c=4']);
    expect(views.map((v) => v.index)).toEqual([2, 0, 3, 1]);
    expect(views.map((v) => v.color)).toEqual(SERIES_COLORS.slice(0, 4));
  });

  it('leaves the series out of labels when there is only one, and makes duplicate labels unique', () => {
    const r = readFixture('engine-pair/vllm0202_c4_n5.json');
    expect(cellViews({ cells: [r, r] }).map((v) => v.label)).toEqual(['c=4', 'c=4 (2)']);
  });

  it('joins measured request records to cells by cell key, ignoring warmup and counting strays', () => {
    const cells = sweepCells();
    const requests = syntheticRequests(cells, 3, 4);
    requests.push({ ...requests[0]!, id: 'w', warmup: true });
    requests.push({ ...requests[0]!, id: 'stray', cell: 'no-such-cell' });
    const data = { cells, requests };
    const views = cellViews(data);
    expect(views.map((v) => v.requests.length)).toEqual([3, 3, 3, 3]);
    expect(views[1]!.requests.every((r) => r.cell === 'sweep-c4')).toBe(true);
    expect(unmatchedRequestCount(data, views)).toBe(1);
  });

  it('gives a lone cell without a key every record', () => {
    const r = readFixture('engine-pair/vllm0202_c4_n5.json');
    const requests = syntheticRequests([r], 5, 4);
    expect(cellViews({ cells: [r], requests })[0]!.requests).toHaveLength(5);
  });
});
