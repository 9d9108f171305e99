import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkClassifier } from '../../src/client/chunk-classifier.js';
import { SseParser } from '../../src/client/sse-parser.js';

const SSE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/ferrum/sse');

interface Ev {
  data: string;
  type: string;
  id: string;
}

/** Parses a stream delivered as the given reads. */
function parse(reads: readonly Uint8Array[]): { events: Ev[]; parser: SseParser } {
  const events: Ev[] = [];
  const parser = new SseParser((data, type, id) => events.push({ data, type, id }));
  for (const r of reads) parser.push(r);
  parser.end();
  return { events, parser };
}

const bytes = (s: string) => Buffer.from(s, 'utf8');
const oneByteAtATime = (b: Buffer) => Array.from(b, (x) => Buffer.from([x]));

describe('SseParser: WHATWG event-stream rules', () => {
  const cases: Array<[string, string, Array<Partial<Ev>>]> = [
    ['LF line ends', 'data: a\n\ndata: b\n\n', [{ data: 'a' }, { data: 'b' }]],
    ['CRLF line ends', 'data: a\r\n\r\ndata: b\r\n\r\n', [{ data: 'a' }, { data: 'b' }]],
    ['bare CR line ends', 'data: a\r\rdata: b\r\r', [{ data: 'a' }, { data: 'b' }]],
    [
      'mixed line ends',
      'data: a\r\n\ndata: b\r\rdata: c\n\r\n',
      [{ data: 'a' }, { data: 'b' }, { data: 'c' }],
    ],
    ['multi-line data joined with LF', 'data: a\ndata: b\ndata:c\n\n', [{ data: 'a\nb\nc' }]],
    ['only one leading space is stripped', 'data:  two\n\n', [{ data: ' two' }]],
    ['no space after the colon', 'data:x\n\n', [{ data: 'x' }]],
    ['comments are ignored', ': ping\ndata: a\n: another\n\n', [{ data: 'a' }]],
    [
      'event type',
      'event: delta\ndata: a\n\ndata: b\n\n',
      [
        { data: 'a', type: 'delta' },
        { data: 'b', type: 'message' },
      ],
    ],
    [
      'id persists across events',
      'id: 7\ndata: a\n\ndata: b\n\n',
      [
        { data: 'a', id: '7' },
        { data: 'b', id: '7' },
      ],
    ],
    ['a bare `data` line gives an empty payload', 'data\n\n', [{ data: '' }]],
    ['`data:` then `data` gives one LF', 'data:\ndata\n\n', [{ data: '\n' }]],
    ['blank lines without data dispatch nothing', '\n\n\nevent: x\n\n', []],
    ['unknown fields are ignored', 'foo: bar\ndata: a\nbaz\n\n', [{ data: 'a' }]],
    [
      'final event without a trailing blank line',
      'data: a\n\ndata: [DONE]',
      [{ data: 'a' }, { data: '[DONE]' }],
    ],
    ['final event ended by a single LF', 'data: [DONE]\n', [{ data: '[DONE]' }]],
    ['byte order mark at the start is dropped', '\uFEFFdata: a\n\n', [{ data: 'a' }]],
    ['a field named `data ` with a space is not data', 'data : a\n\n', []],
    ['colon in the value is kept', 'data: {"a":1}\n\n', [{ data: '{"a":1}' }]],
  ];
  it.each(cases)('%s', (_name, stream, expected) => {
    const whole = parse([bytes(stream)]).events;
    expect(whole.length).toBe(expected.length);
    expected.forEach((e, i) => {
      expect(whole[i]).toMatchObject(e);
    });
    // the same stream one byte at a time gives the same events
    expect(parse(oneByteAtATime(bytes(stream))).events).toEqual(whole);
  });

  it('a CR ending one read and an LF starting the next are one line end', () => {
    const { events } = parse([bytes('data: a\r'), bytes('\ndata: b\r'), bytes('\n\r'), bytes('\n')]);
    expect(events.map((e) => e.data)).toEqual(['a\nb']);
  });

  it('a CR at the end of a read followed by an empty read and then LF is still one line end', () => {
    const { events } = parse([bytes('data: a\r'), Buffer.alloc(0), bytes('\n\n')]);
    expect(events.map((e) => e.data)).toEqual(['a']);
  });

  it('retry: only all-digit values are taken', () => {
    expect(parse([bytes('retry: 1500\n\n')]).parser.retryMs).toBe(1500);
    expect(parse([bytes('retry: 15x0\n\n')]).parser.retryMs).toBeUndefined();
    expect(parse([bytes('retry: 10\nretry: nope\n\n')]).parser.retryMs).toBe(10);
  });

  it('id: a value containing NUL is ignored', () => {
    expect(parse([bytes('id: ok\n\nid: a\u0000b\ndata: x\n\n')]).events[0]?.id).toBe('ok');
  });

  it('counts comments and returns events dispatched per read', () => {
    const seen: string[] = [];
    const parser = new SseParser((d) => seen.push(d));
    expect(parser.push(bytes(': hi\ndata: a\n\ndata: b\n\ndata: c'))).toBe(2);
    expect(parser.push(bytes('\n\n'))).toBe(1);
    expect(parser.end()).toBe(0);
    expect(parser.comments).toBe(1);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('UTF-8 split at every byte position decodes the same', () => {
    const text = 'data: {"content":"é 是一个 😀 ß"}\n\n';
    const b = bytes(text);
    for (let cut = 1; cut < b.length; cut++) {
      const { events, parser } = parse([b.subarray(0, cut), b.subarray(cut)]);
      expect(events.map((e) => e.data)).toEqual(['{"content":"é 是一个 😀 ß"}']);
      expect(parser.invalidUtf8Lines).toBe(0);
    }
  });

  it('invalid UTF-8 is decoded with U+FFFD and counted; a literal U+FFFD is not counted', () => {
    const bad = Buffer.concat([bytes('data: a'), Buffer.from([0xff, 0xfe]), bytes('b\n\n')]);
    const r = parse([bad]);
    expect(r.events[0]?.data).toBe('a\uFFFD\uFFFDb');
    expect(r.parser.invalidUtf8Lines).toBe(1);
    const literal = parse([bytes('data: a\uFFFDb\n\n')]);
    expect(literal.events[0]?.data).toBe('a\uFFFDb');
    expect(literal.parser.invalidUtf8Lines).toBe(0);
  });

  it('a long line spread over many reads is reassembled', () => {
    const payload = 'x'.repeat(100_000);
    const b = bytes(`data: ${payload}\n\n`);
    const reads: Buffer[] = [];
    for (let i = 0; i < b.length; i += 7) reads.push(b.subarray(i, i + 7));
    expect(parse(reads).events[0]?.data.length).toBe(100_000);
  });
});

describe('SseParser: properties', () => {
  const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
  const line = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `data: ${s.replace(/[\r\n]/g, '')}`),
    fc.constantFrom(': comment', 'event: e', 'id: 3', 'retry: 100', 'data', '', 'data: [DONE]', 'x: y'),
  );
  const stream = fc
    .array(fc.tuple(line, lineEnd), { maxLength: 30 })
    .map((parts) => bytes(parts.map(([l, e]) => l + e).join('')));

  it('any chunking of a stream gives the same events as the whole stream', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (b, cuts) => {
        const points = [...new Set(cuts.map((c) => (b.length === 0 ? 0 : c % b.length)))].sort(
          (x, y) => x - y,
        );
        const reads: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          reads.push(b.subarray(prev, p));
          prev = p;
        }
        reads.push(b.subarray(prev));
        expect(parse(reads).events).toEqual(parse([b]).events);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw and never hang, however they are cut', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (u8, size) => {
        const b = Buffer.from(u8);
        const reads: Buffer[] = [];
        for (let i = 0; i < b.length; i += size) reads.push(b.subarray(i, i + size));
        const { events } = parse(reads);
        // every dispatched event came from at least one `data` field, so there are fewer than bytes
        expect(events.length).toBeLessThanOrEqual(b.length);
        const classifier = new ChunkClassifier();
        for (const e of events) classifier.payload(e.data);
        expect(classifier.eventMs.length).toBeLessThanOrEqual(events.length * 64);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SseParser + ChunkClassifier on the ferrum and vLLM fixtures', () => {
  // counted by hand from the files: output events are the non-empty content deltas
  const fixtures: Array<{
    file: string;
    sseEvents: number;
    output: number;
    usage: number;
    done: number;
    first: string;
  }> = [
    // blank-line separated: 4 JSON chunks + [DONE]; the third delta is "" (finish), not an event
    { file: 'ferrum_chat_raw.sse', sseEvents: 5, output: 2, usage: 3, done: 1, first: 'content' },
    // captured without blank lines: one WHATWG event of 5 data lines, read line by line as ferrum does
    { file: 'ferrum_chat_short.sse', sseEvents: 1, output: 2, usage: 3, done: 1, first: 'content' },
    // 23 non-empty deltas ("String" … "。"), an empty finish delta, the usage chunk (24 tokens), [DONE]
    { file: 'ferrum_llama_dense_chat.sse', sseEvents: 26, output: 23, usage: 24, done: 1, first: 'content' },
    // vLLM: a role-only first chunk with content "", then "5", "\n", an empty finish delta, usage, [DONE]
    { file: 'vllm_chat.sse', sseEvents: 1, output: 2, usage: 3, done: 1, first: 'content' },
  ];

  function run(reads: readonly Buffer[], fast = false) {
    const classifier = new ChunkClassifier();
    let sseEvents = 0;
    const parser = new SseParser(
      (data) => {
        sseEvents++;
        classifier.payload(data);
      },
      fast
        ? (bytes, start, end) => {
            const taken = classifier.rawPayload(bytes, start, end);
            if (taken) sseEvents++;
            return taken;
          }
        : undefined,
    );
    let t = 0;
    for (const r of reads) {
      classifier.beginRead(t++);
      parser.push(r);
      classifier.endRead();
    }
    classifier.beginRead(t);
    parser.end();
    classifier.endRead();
    return { classifier, sseEvents, parser };
  }

  for (const f of fixtures) {
    const raw = readFileSync(join(SSE_DIR, f.file));
    const variants: Array<[string, Buffer[]]> = [
      ['whole', [raw]],
      ['one byte at a time', oneByteAtATime(raw)],
      [
        'CRLF line ends, one byte at a time',
        oneByteAtATime(Buffer.from(raw.toString('utf8').replace(/\n/g, '\r\n'))),
      ],
      ['bare CR line ends', [Buffer.from(raw.toString('utf8').replace(/\n/g, '\r'))]],
    ];
    for (const [how, reads, fast] of variants.flatMap(
      ([h, r]) =>
        [
          [h, r, false],
          [`${h}, raw fast path`, r, true],
        ] as const,
    )) {
      it(`${f.file} (${how}): ${f.output} output events, usage ${f.usage}, one [DONE], no flags`, () => {
        const { classifier, sseEvents, parser } = run(reads, fast);
        expect(sseEvents).toBe(f.sseEvents);
        expect(classifier.eventMs.length).toBe(f.output);
        expect(classifier.usageOutputTokens).toBe(f.usage);
        expect(classifier.doneCount).toBe(f.done);
        expect(classifier.firstChannel).toBe(f.first);
        expect(classifier.finishReason).toBe('stop');
        expect(classifier.flags.toArray()).toEqual([]);
        expect(parser.invalidUtf8Lines).toBe(0);
      });
    }
  }

  it('whole-file reads of a blank-line separated stream coalesce; byte reads never do', () => {
    const raw = readFileSync(join(SSE_DIR, 'ferrum_llama_dense_chat.sse'));
    expect(run([raw]).classifier.coalescedReads).toBe(1);
    expect(run(oneByteAtATime(raw)).classifier.coalescedReads).toBe(0);
  });
});

describe('SseParser: the whole-event run (SseEventRun)', () => {
  /** A run that records the line it is offered at, and takes `data: X` + LF LF events only. */
  function recordingRun() {
    const offered: string[] = [];
    const run = {
      eventsTaken: 0,
      takeEvents(b: Buffer, pos: number): number {
        const end = b.indexOf(10, pos);
        offered.push(b.toString('utf8', pos, end === -1 ? b.length : end));
        this.eventsTaken = 0;
        let at = pos;
        while (b.toString('latin1', at, at + 9) === 'data: X\n\n') {
          at += 9;
          this.eventsTaken++;
        }
        return at;
      },
    };
    return { offered, run };
  }

  it('is offered only at event boundaries: not on the first line, inside an event or a split line', () => {
    const { offered, run } = recordingRun();
    const seen: string[] = [];
    const parser = new SseParser((d, type) => seen.push(`${type}:${d}`), undefined, run);
    parser.push(bytes('\uFEFFevent: x\ndata: a\n\n: c\nid: 1\ndata: b\ndata: c\n\ndata: d\n\nda'));
    parser.push(bytes('ta: e\n\n'));
    parser.end();
    expect(offered).toEqual([': c', 'id: 1', 'data: b', 'data: d', 'da']);
    expect(seen).toEqual(['x:a', 'message:b\nc', 'message:d', 'message:e']);
  });

  it('events it takes are counted as dispatched and never reach the sinks', () => {
    const { run } = recordingRun();
    const seen: string[] = [];
    const parser = new SseParser((d) => seen.push(d), undefined, run);
    expect(parser.push(bytes(': go\ndata: X\n\ndata: X\n\ndata: Y\n\ndata: X\n\n'))).toBe(4);
    expect(seen).toEqual(['Y']);
    expect(parser.end()).toBe(0);
  });
});
