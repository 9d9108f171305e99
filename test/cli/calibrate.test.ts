// `goodput calibrate` through main(): measures against the in-process simulator thread, stores the
// calibration where asked (or in the cache directory from the environment), prints it; bad flags
// exit 2 naming the flag. Needs dist/ (the simulator thread's entry), as `npm test` builds first.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseCalibration } from '../../src/core/client-health/calibration.js';
import { machineFingerprint } from '../../src/host/calibration-store.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-cli-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goodput calibrate', () => {
  it('measures both ramps, writes the file atomically and prints the ceiling', async () => {
    const io = memoryIo({ cwd: dir });
    const code = await main(['calibrate', '--duration', '1', '--out', 'cal.json', '--json'], io);
    expect(code, io.err()).toBe(0);
    const path = join(dir, 'cal.json');
    const stored = parseCalibration(readFileSync(path, 'utf8'), path);
    expect(JSON.parse(io.out())).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    expect(stored.machine).toBe(machineFingerprint());
    const kinds = new Set(stored.levels.map((l) => l.kind));
    expect(kinds).toEqual(new Set(['events', 'requests']));
    const first = stored.levels.find((l) => l.kind === 'events');
    // the first events level paired requests with the simulator's truth
    expect(first?.ttft_error_p50_ms).toBeTypeOf('number');
    expect(first?.achieved_per_s).toBeGreaterThan(0);
    expect(stored.max_events_per_s).toBeGreaterThanOrEqual(0);
    // a ramp stops at its first failing level; the ceiling is what passed before it
    for (const kind of ['events', 'requests'] as const) {
      const levels = stored.levels.filter((l) => l.kind === kind);
      expect(levels.slice(0, -1).every((l) => l.ok)).toBe(true);
    }
    expect(io.err()).toContain('calibrating the client against the in-process simulator');
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('stores in $XDG_CACHE_HOME/goodput/calibration.json by default and prints a summary', async () => {
    const cache = join(dir, 'cache');
    const io = memoryIo({ cwd: dir, env: { XDG_CACHE_HOME: cache } });
    const code = await main(['calibrate', '--duration', '1'], io);
    expect(code, io.err()).toBe(0);
    const path = join(cache, 'goodput', 'calibration.json');
    expect(existsSync(path)).toBe(true);
    expect(io.out()).toMatch(/output events\/s, \d+ requests\/s/);
    expect(io.out()).toContain(`stored in ${path}`);
  }, 60_000);

  it.each([
    [['--duration', '0'], '--duration 0'],
    [['--duration', 'soon'], '--duration soon'],
  ])('rejects %j with exit 2 naming the flag', async (args, named) => {
    const io = memoryIo({ cwd: dir });
    expect(await main(['calibrate', ...args], io)).toBe(2);
    expect(io.err()).toContain(named);
  });

  it('needs --out when there is no cache directory', async () => {
    const io = memoryIo({ cwd: dir, env: {} });
    expect(await main(['calibrate', '--duration', '1'], io)).toBe(2);
    expect(io.err()).toContain('pass --out FILE');
  });
});
