import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { requestRecordLine } from '../../src/output/request-record-line.js';

const base = (eventMs: unknown[]): RequestRecord =>
  ({
    id: '0.1.7',
    cell: 'c',
    repeat: 1,
    index: 7,
    warmup: false,
    send_ms: 1000.123456789,
    headers_ms: 1000.5,
    event_ms: eventMs,
    end_ms: 1010.987654321,
    input_tokens: 7,
    usage_output_tokens: 3,
    coalesced_reads: 1,
    done_count: 1,
    max_tokens: 128,
    finish_reason: 'length',
    first_channel: 'content',
    status: 200,
    flags: [],
    source: 'sse',
    conn: 2,
  }) as RequestRecord;

/** event_ms the way a client sees them: runs of one read time, sometimes non-finite or -0. */
const times = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 10, arbitrary: fc.double({ min: 0, max: 1e7, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 0, 1e21, 5e-7) },
      ),
      fc.integer({ min: 1, max: 20 }),
    ),
    { maxLength: 40 },
  )
  .map((runs) => runs.flatMap(([t, n]) => Array.from({ length: n }, () => t)));

describe('requestRecordLine', () => {
  it('is byte for byte JSON.stringify on records with coalesced, distinct and odd event times', () => {
    fc.assert(
      fc.property(times, fc.boolean(), (eventMs, extraKey) => {
        const record = base(eventMs);
        // a key added after the fact sits last, as JSON.stringify writes it
        if (extraKey) (record as Record<string, unknown>).client_output_tokens = 3;
        expect(requestRecordLine(record)).toBe(JSON.stringify(record));
      }),
      { numRuns: 500 },
    );
  });

  const same = (n: number, t = 1234.5678901) => Array.from({ length: n }, () => t);
  const cases: Array<[string, RequestRecord]> = [
    ['no events', base([])],
    ['one event', base([1.5])],
    ['all in one read', base(same(128))],
    ['distinct times (JSON.stringify path)', base(Array.from({ length: 50 }, (_, i) => i + 0.1))],
    ['a hole in the array', base(Object.assign(same(9), { 4: undefined }) as unknown[])],
    ['a non-number among repeats', base([...same(6), 'x', ...same(6)])],
    [
      'a string value holding the key text',
      { ...base(same(9)), error: 'boom "event_ms":[] "event_ms":[1]' } as RequestRecord,
    ],
    [
      'an extra nested object with an event_ms key before it',
      { extra: { event_ms: [] }, ...base(same(9)) } as unknown as RequestRecord,
    ],
    ['undefined optional fields are left out', { ...base(same(9)), status: undefined } as RequestRecord],
  ];
  it.each(cases)('%s', (_name, record) => {
    expect(requestRecordLine(record)).toBe(JSON.stringify(record));
  });

  it('a record with a toJSON method is written by it', () => {
    const record = { ...base(same(9)), toJSON: () => ({ replaced: true }) } as unknown as RequestRecord;
    expect(requestRecordLine(record)).toBe('{"replaced":true}');
  });
});
