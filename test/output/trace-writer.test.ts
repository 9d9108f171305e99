import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type RequestRecord, RequestRecordSchema } from '../../src/core/schema/request-record.js';
import { layerBreakdown } from '../../src/core/trace/layer-breakdown.js';
import { completeEvent } from '../../src/core/trace/trace-event.js';
import { readTraceFile } from '../../src/output/trace-reader.js';
import { openTraceWriter } from '../../src/output/trace-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(i: number, conn: number): RequestRecord {
  const send = 100 + i * 10;
  return RequestRecordSchema.parse({
    id: `0.1.${i}`,
    cell: 'c',
    repeat: 1,
    index: i,
    warmup: false,
    send_ms: send,
    event_ms: [send + 2, send + 3, send + 4],
    end_ms: send + 5,
    input_tokens: 3,
    coalesced_reads: 0,
    done_count: 1,
    flags: [],
    conn,
  });
}

type Ev = { name: string; ph: string; tid: number; cat?: string; args?: Record<string, unknown> };

describe('openTraceWriter', () => {
  it('streams {"traceEvents":[…]} with process/thread names, one span per request and counters', async () => {
    const path = join(dir, 'sub', 'run.trace.json');
    const w = openTraceWriter(path, { originMs: 100, processName: 'goodput bench', trackLabel: 'worker' });
    for (let i = 0; i < 6; i++) w.requestSpan(record(i, i % 2));
    w.counter('kv_cache_used', 130, 0.5);
    w.event(completeEvent('attn', 'attention', 0, 0.25, 7));
    w.close();
    w.close(); // idempotent
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('{"traceEvents":[')).toBe(true);
    const doc = JSON.parse(text) as { traceEvents: Ev[]; displayTimeUnit: string };
    expect(doc.displayTimeUnit).toBe('ms');
    const ev = doc.traceEvents;
    expect(ev.filter((e) => e.name === 'process_name')[0]?.args).toEqual({ name: 'goodput bench' });
    expect(ev.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.name])).toEqual([
      [1, 'worker 0'],
      [2, 'worker 1'],
    ]);
    const spans = ev.filter((e) => e.ph === 'X' && e.cat === 'request');
    expect(spans.map((e) => e.args?.id)).toEqual(['0.1.0', '0.1.1', '0.1.2', '0.1.3', '0.1.4', '0.1.5']);
    expect(ev.filter((e) => e.name === 'decode')).toHaveLength(6);
    expect(ev.some((e) => e.ph === 'C' && e.name === 'in_flight_requests')).toBe(true);
    expect(ev.some((e) => e.ph === 'C' && e.name === 'output_tokens_per_s')).toBe(true);
    expect(ev.filter((e) => e.name === 'kv_cache_used')[0]).toMatchObject({ ph: 'C', ts: 30000 });
    // the trace tools read it
    const read = await readTraceFile(path);
    expect(read.truncated).toBe(false);
    expect(layerBreakdown(read.events).totalsUs.attention).toBe(250);
  });

  it('keeps what was flushed when the process dies before close(): the file still reads', async () => {
    const path = join(dir, 'crash.trace.json');
    const w = openTraceWriter(path, { flushIntervalMs: 0 });
    for (let i = 0; i < 3; i++) w.requestSpan(record(i, 0));
    // no close(): simulate the crash by copying the file as it is on disk now
    const onDisk = readFileSync(path, 'utf8');
    w.close();
    const cut = join(dir, 'cut.trace.json');
    writeFileSync(cut, onDisk.slice(0, onDisk.length - 7));
    const r = await readTraceFile(cut);
    expect(r.truncated).toBe(true);
    const ids = r.events.filter((e) => (e as Ev).cat === 'request').map((e) => (e as Ev).args?.id);
    expect(ids).toEqual(['0.1.0', '0.1.1', '0.1.2']);
  });

  it('reads gzip traces, even a cut-off gzip stream', async () => {
    const events = Array.from({ length: 200 }, (_, i) => completeEvent('attn', 'attention', i, 0.01, i % 4));
    const gz = gzipSync(Buffer.from(`{"traceEvents":[${events.map((e) => JSON.stringify(e)).join(',')}]}`));
    const full = join(dir, 't.json.gz');
    writeFileSync(full, gz);
    const r = await readTraceFile(full);
    expect(r.gzip).toBe(true);
    expect(r.events).toHaveLength(200);
    const cut = join(dir, 'cut.json.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const rc = await readTraceFile(cut);
    expect(rc.truncated).toBe(true);
    expect(rc.events.length).toBeGreaterThan(0);
    expect(rc.events.length).toBeLessThan(200);
  });

  it('names the file when it cannot be read or written', async () => {
    await expect(readTraceFile(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json.*ENOENT/);
    expect(() => openTraceWriter(join(dir, 'crash.trace.json', 'x.json'))).toThrow(
      /cannot write the trace to/,
    );
  });
});
