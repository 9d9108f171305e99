import { describe, expect, it } from 'vitest';
import {
  type Calibration,
  parseCalibration,
  serializeCalibration,
} from '../../../src/core/client-health/calibration.js';
import { isGoodputError } from '../../../src/core/errors.js';

const good: Calibration = {
  schema_version: 1,
  tool_version: '0.1.0',
  measured_at: '2026-01-01T00:00:00.000Z',
  machine: 'linux x64 · 2 × CPU · node v20',
  max_events_per_s: 50_000,
  max_requests_per_s: 1_500,
  load_average: 0.4,
  levels: [
    {
      kind: 'events',
      offered_per_s: 1600,
      achieved_per_s: 1590,
      ttft_error_p50_ms: 0.2,
      ok: true,
      failed: [],
    },
    {
      kind: 'requests',
      offered_per_s: 100,
      achieved_per_s: 99,
      dispatch_lag_p99_ms: 3,
      ok: false,
      failed: ['dispatch_lag_p99'],
      attempts: 2,
    },
  ],
};

function parseError(text: string): { code: string; message: string } {
  try {
    parseCalibration(text, 'cal.json');
  } catch (e) {
    if (isGoodputError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('calibration file', () => {
  it('round-trips through its serialisation', () => {
    const text = serializeCalibration(good);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseCalibration(text, 'cal.json')).toEqual(good);
  });

  it('defaults the levels and keeps unknown keys', () => {
    const parsed = parseCalibration(
      '{"schema_version":1,"measured_at":"x","max_events_per_s":1,"max_requests_per_s":2,"future":true}',
      'cal.json',
    );
    expect(parsed.levels).toEqual([]);
    expect((parsed as Record<string, unknown>).future).toBe(true);
  });

  it('names the file and the JSON path of a wrong value', () => {
    const bad = { ...good, max_events_per_s: 'many', levels: [{ ...good.levels[0], kind: 'tokens' }] };
    const e = parseError(JSON.stringify(bad));
    expect(e.code).toBe('INPUT_SCHEMA');
    expect(e.message).toContain('cal.json: ');
    expect(e.message).toContain('max_events_per_s: ');
    expect(e.message).toContain('levels[0].kind: ');
  });

  it('names a missing required field', () => {
    const e = parseError('{"schema_version":1,"max_events_per_s":1,"max_requests_per_s":2}');
    expect(e.message).toMatch(/^cal\.json: measured_at: /);
  });

  it('rejects text that is not JSON', () => {
    expect(parseError('max_events_per_s = 3').code).toBe('INPUT_NOT_JSON');
  });

  it('rejects a JSON value that is not an object at the root', () => {
    expect(parseError('[1, 2]').message).toContain('(root)');
  });
});
