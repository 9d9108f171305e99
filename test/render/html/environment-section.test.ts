import { describe, expect, it } from 'vitest';
import { cellViews } from '../../../src/render/charts/cell-view.js';
import {
  environmentDiff,
  environmentFacts,
  environmentSection,
} from '../../../src/render/html/environment-section.js';
import { readFixture } from './sweep-data.js';

describe('environment section', () => {
  it('lists what the cells share once and what differs per cell (graph on vs off: FERRUM_VLLM_MOE)', () => {
    const on = readFixture('graph-ab/graph_on_c4.json');
    const off = readFixture('graph-ab/graph_off_c4.json');
    const views = cellViews({ cells: [off, on], seriesLabels: ['off', 'on'] });
    const diff = environmentDiff(views);
    expect(diff.common).toContainEqual(['env.hw_id', 'rtx-4090']);
    const paths = diff.differing.map((d) => d.path);
    expect(paths).toContain('env_hash');
    expect(diff.comparability.map((c) => c.field)).toEqual(['engine_env.FERRUM_VLLM_MOE']);
    expect(paths).toContain('env.ferrum_env.FERRUM_VLLM_MOE');
    const html = environmentSection(views);
    expect(html).toContain('comparability key (');
    expect(html).toContain('Differences between cells');
    // hashes are shortened, with the full value in the tooltip
    expect(html).toContain(`title="${on.env_hash}">sha256:${on.env_hash.slice(7, 19)}…</span>`);
  });

  it('does not warn about the load a sweep varies on purpose', () => {
    const views = cellViews({
      cells: [1, 4].map((c) => readFixture(`engine-pair/ferrum-fa2-direct_c${c}_n5.json`)),
    });
    expect(environmentDiff(views).comparability).toEqual([]);
    expect(environmentSection(views)).not.toContain('note bad');
  });

  it('flattens maps and lists into dotted facts', () => {
    const facts = environmentFacts(readFixture('graph-ab/graph_on_c1.json'));
    expect(facts.get('env.ferrum_env.FERRUM_GRAPH')).toBe('1');
    expect(facts.get('env.ferrum_features')).toBe('cuda, vllm-moe-marlin');
  });
});
