// bench-serve through main() and the client's own limits (SPEC §3.9): every report carries the
// calibration and the client's measurements in goodput.client; a run pushed past the calibrated
// ceiling is flagged client_limited in the report and warned about on the console; a light run
// is not; a broken --calibration file is a usage error naming it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type Calibration, serializeCalibration } from '../../src/core/client-health/calibration.js';
import { machineFingerprint } from '../../src/host/calibration-store.js';
import { readRunDirectory } from './run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-clhealth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function calibrationFile(name: string, maxEvents: number, maxRequests: number): string {
  const calibration: Calibration = {
    schema_version: 1,
    measured_at: '2026-01-01T00:00:00.000Z',
    machine: machineFingerprint(),
    max_events_per_s: maxEvents,
    max_requests_per_s: maxRequests,
    levels: [],
  };
  const path = join(tmp, name);
  writeFileSync(path, serializeCalibration(calibration));
  return path;
}

const light = [
  '--concurrency',
  '2',
  '--num-prompts',
  '8',
  '--n-repeats',
  '1',
  '--warmup-requests',
  '1',
  '--random-input-len',
  '16',
  '--random-output-len',
  '8',
  '--no-db',
];

async function benchServe(args: string[], outDir: string) {
  const io = memoryIo({ cwd: tmp });
  const code = await main(['bench-serve', ...args, '--out-dir', join(tmp, outDir)], io);
  return { code, err: io.err(), out: io.out(), dir: readRunDirectory(join(tmp, outDir)) };
}

describe('client_limited', () => {
  it('a run past an (artificially tiny) calibrated ceiling is flagged in the report and on the console', async () => {
    const r = await benchServe([...light, '--calibration', calibrationFile('tiny.json', 10, 1)], 'tiny');
    expect(r.code, r.err).toBe(0);
    const client = r.dir.envelope.cells[0]?.goodput?.client;
    expect(client?.client_limited).toBe(true);
    const codes = client?.reasons.map((x) => x.split(':')[0]);
    expect(codes).toContain('near_calibrated_events');
    expect(codes).toContain('near_calibrated_requests');
    expect(client?.calibration).toMatchObject({ max_events_per_s: 10, max_requests_per_s: 1 });
    expect(client?.events_per_s).toBeGreaterThan(10);
    expect(r.err).toContain('client-limited: closed_loop c=2: near_calibrated_events');
    // the terminal summary repeats it
    expect(`${r.out}${r.err}`).toContain('client-limited run');
    expect(r.dir.schemaProblems).toEqual([]);
  });

  it('a light run against a generous calibration is not flagged, and still carries its measurements', async () => {
    const r = await benchServe([...light, '--calibration', calibrationFile('big.json', 1e9, 1e7)], 'light');
    expect(r.code, r.err).toBe(0);
    const client = r.dir.envelope.cells[0]?.goodput?.client;
    expect(client?.client_limited, client?.reasons.join('; ')).toBe(false);
    expect(client?.reasons).toEqual([]);
    expect(client?.calibration?.max_events_per_s).toBe(1e9);
    expect(client?.cpu_fraction).toBeGreaterThanOrEqual(0);
    expect(client?.event_loop_delay_ms?.p99).toBeGreaterThanOrEqual(0);
    expect(client?.events_per_s).toBeGreaterThan(0);
    expect(client?.threads).toBe(1);
    // a closed loop has no dispatch lag
    expect(client?.dispatch_lag_ms).toBeUndefined();
    expect(r.err).not.toContain('client-limited:');
  });

  it('an open loop reports its dispatch lag', async () => {
    const open = light.map((a) => (a === '--concurrency' ? '--request-rate' : a === '2' ? '50' : a));
    const r = await benchServe(open, 'open');
    expect(r.code, r.err).toBe(0);
    const client = r.dir.envelope.cells[0]?.goodput?.client;
    expect(client?.dispatch_lag_ms?.p99).toBeGreaterThanOrEqual(0);
    expect(client?.dispatch_lag_ms?.max).toBeGreaterThanOrEqual(client?.dispatch_lag_ms?.p50 ?? 0);
    // no calibration given, none stored for this environment (no HOME): none in the report
    expect(client?.calibration).toBeUndefined();
  });

  it('a broken --calibration file stops the run before any request, naming the file', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"schema_version": 1, "max_events_per_s": "lots"}');
    const io = memoryIo({ cwd: tmp });
    const code = await main(
      ['bench-serve', ...light, '--calibration', bad, '--out-dir', join(tmp, 'bad')],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain(`--calibration ${bad}`);
    expect(io.err()).toContain('max_events_per_s');
  });
});
