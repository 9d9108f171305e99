import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Calibration } from '../../src/core/client-health/calibration.js';
import { isGoodputError } from '../../src/core/errors.js';
import {
  defaultCalibrationPath,
  loadCalibration,
  machineFingerprint,
  writeCalibration,
} from '../../src/host/calibration-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'goodput-calstore-'));
  dirs.push(d);
  return d;
}

const here = (over: Partial<Calibration> = {}): Calibration => ({
  schema_version: 1,
  measured_at: '2026-01-01T00:00:00.000Z',
  machine: machineFingerprint(),
  max_events_per_s: 40_000,
  max_requests_per_s: 900,
  levels: [],
  ...over,
});

describe('calibration store', () => {
  it('lives under XDG_CACHE_HOME, else ~/.cache, else nowhere', () => {
    expect(defaultCalibrationPath({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/goodput/calibration.json');
    expect(defaultCalibrationPath({ HOME: '/h' })).toBe('/h/.cache/goodput/calibration.json');
    expect(defaultCalibrationPath({})).toBeUndefined();
  });

  it('writes atomically into new directories and reads back', () => {
    const home = tempDir();
    const path = defaultCalibrationPath({ HOME: home }) as string;
    writeCalibration(path, here());
    expect(readdirSync(join(home, '.cache', 'goodput'))).toEqual(['calibration.json']);
    const loaded = loadCalibration(undefined, { HOME: home });
    expect(loaded.calibration?.max_events_per_s).toBe(40_000);
    expect(loaded.path).toBe(path);
    expect(loaded.note).toBeUndefined();
  });

  it('no stored calibration is not an error', () => {
    expect(loadCalibration(undefined, { HOME: tempDir() })).toMatchObject({ calibration: undefined });
    expect(loadCalibration(undefined, {})).toEqual({ calibration: undefined, path: undefined });
  });

  it('an explicit --calibration file must exist', () => {
    const missing = join(tempDir(), 'nope.json');
    try {
      loadCalibration(missing, {});
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'INPUT_MISSING')).toBe(true);
      expect((e as Error).message).toContain(`--calibration ${missing}`);
    }
  });

  it('a broken file is an error naming the flag and the path', () => {
    const file = join(tempDir(), 'cal.json');
    writeFileSync(file, '{"schema_version":1}');
    expect(() => loadCalibration(file, {})).toThrow(/--calibration .*cal\.json: measured_at/);
  });

  it("skips another machine's default calibration, but applies an explicit one, each with a note", () => {
    const home = tempDir();
    const path = defaultCalibrationPath({ HOME: home }) as string;
    writeCalibration(path, here({ machine: 'darwin arm64 · 10 × M1' }));
    const skipped = loadCalibration(undefined, { HOME: home });
    expect(skipped.calibration).toBeUndefined();
    expect(skipped.note).toContain('another machine (darwin arm64 · 10 × M1); not applied');
    const forced = loadCalibration(path, {});
    expect(forced.calibration?.machine).toBe('darwin arm64 · 10 × M1');
    expect(forced.note).toContain('applied because --calibration names it');
  });
});
