// The content-template fast path (whole-event runs and single raw payloads) against the general
// path (every event decoded and JSON.parsed): byte-level recognition must never change a result.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkClassifier } from '../../src/client/chunk-classifier.js';
import { ContentTemplate } from '../../src/client/content-template.js';
import { SseParser } from '../../src/client/sse-parser.js';

const SSE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/ferrum/sse');

/** Events the fast paths took over all snapshots (so the properties provably exercise them). */
const fastTaken = { raw: 0, run: 0 };

/** Everything a stream leaves behind that a record or a flag is made of. */
function snapshot(reads: readonly Buffer[], fast: boolean) {
  const c = new ChunkClassifier();
  const run = {
    takeEvents(bytes: Buffer, pos: number): number {
      const after = c.takeEvents(bytes, pos);
      fastTaken.run += c.eventsTaken;
      return after;
    },
    get eventsTaken() {
      return c.eventsTaken;
    },
  };
  const parser = new SseParser(
    (data) => c.payload(data),
    fast
      ? (bytes, start, end) => {
          const taken = c.rawPayload(bytes, start, end);
          if (taken) fastTaken.raw++;
          return taken;
        }
      : undefined,
    fast ? run : undefined,
  );
  const dispatched: number[] = [];
  reads.forEach((r, i) => {
    c.beginRead(10 * i);
    dispatched.push(parser.push(r));
    c.endRead();
  });
  c.beginRead(10 * reads.length);
  dispatched.push(parser.end());
  c.endRead();
  return {
    eventMs: c.eventMs,
    flags: c.flags.toArray(),
    doneCount: c.doneCount,
    coalescedReads: c.coalescedReads,
    usage: [c.usageOutputTokens, c.serverInputTokens, c.cachedTokens],
    finishReason: c.finishReason,
    firstChannel: c.firstChannel,
    error: c.error,
    dispatched,
    invalidUtf8Lines: parser.invalidUtf8Lines,
    comments: parser.comments,
    lastEventId: parser.lastEventId,
  };
}

/** `bytes` cut at the given points (taken modulo its length). */
function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const at = [...new Set(points.map((p) => (bytes.length === 0 ? 0 : p % bytes.length)))].sort(
    (a, b) => a - b,
  );
  const reads: Buffer[] = [];
  let prev = 0;
  for (const p of at) {
    reads.push(bytes.subarray(prev, p));
    prev = p;
  }
  reads.push(bytes.subarray(prev));
  return reads;
}

const chunk = (content: string, extra: Record<string, unknown> = {}, id = 'chatcmpl-1') =>
  JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: 1796429120,
    model: 'm',
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null, ...extra }],
  });

/** One SSE event (or a piece of stream) as bytes, before its line ends are chosen. */
type Piece = { lines: Array<string | Buffer> };

/** Contents that exercise escapes, quality markers, non-ASCII, control bytes and lone surrogates. */
const contentText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('the', ' cat', ' sat', ',', ' on', ' mat', '.', 'ok', 'k') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\n',
      '\n\n',
      ' "quoted"',
      'a\\b',
      '/',
      '\t',
      '\u0001',
      'é',
      '是',
      '😀',
      '\uFFFD',
      '\uD800',
      '<|im_end|>',
      '[PAD]',
      '<unk>',
      'Ã©',
      'â€™',
      "thread 'main' panicked at x",
      'PANICKED',
      '',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 12, arbitrary: contentText.map((t) => ({ lines: [`data: ${chunk(t)}`] })) },
  // content after [DONE] is processed and labelled, never taken by a fast path
  { weight: 1, arbitrary: fc.constant<Piece>({ lines: ['data: [DONE]'] }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Piece>(
      { lines: [`data: ${chunk('', {}).replace('"content":""', '"role":"assistant","content":""')}`] },
      { lines: [`data: ${chunk('', { finish_reason: 'length' })}`] },
      {
        lines: [
          `data: ${JSON.stringify({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } } })}`,
        ],
      },
      { lines: ['data: [DONE]'] },
      { lines: ['data: {"choices":['] },
      { lines: [`data: ${JSON.stringify({ error: { message: 'boom' } })}`] },
      { lines: [': keep-alive', `data: ${chunk('x')}`] },
      { lines: ['id: 42', `data: ${chunk('y')}`] },
      { lines: ['event: delta', `data: ${chunk('z')}`] },
      { lines: [`data:${chunk('no space')}`] },
      { lines: [`data: ${chunk('two')}`, `data: ${chunk('lines')}`] },
      { lines: [`data:  ${chunk('two spaces')}`] },
      { lines: [`data: ${chunk('other id', {}, 'chatcmpl-2')}`] },
      { lines: [`data: ${chunk('reason', { finish_reason: 'stop' })}`] },
      { lines: ['data:'] },
      {
        // invalid UTF-8 inside the content literal
        lines: [
          Buffer.concat([
            Buffer.from(`data: ${chunk('ab').slice(0, chunk('ab').indexOf('ab'))}a`),
            Buffer.from([0xff]),
            Buffer.from(`b${chunk('ab').slice(chunk('ab').indexOf('ab') + 2)}`),
          ]),
        ],
      },
      // a backslash escape cut short, and an invalid escape
      { lines: [`data: ${chunk('q').replace('"q"', '"q\\u12"')}`] },
      { lines: [`data: ${chunk('q').replace('"q"', '"q\\x"')}`] },
    ),
  },
);

const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** A stream: pieces, each line ended by one line end, each event closed by a blank line. */
const stream = fc
  .record({
    pieces: fc.array(piece, { minLength: 8, maxLength: 40 }),
    // most streams use one framing throughout; some mix
    framing: fc.oneof(
      { weight: 3, arbitrary: fc.constant('\n') },
      { weight: 2, arbitrary: fc.constant('\r\n') },
      { weight: 1, arbitrary: fc.constant('\r') },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    ends: fc.array(lineEnd, { minLength: 200, maxLength: 200 }),
    dropBlank: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  })
  .map(({ pieces, framing, ends, dropBlank }) => {
    const parts: Buffer[] = [];
    let k = 0;
    const end = () => Buffer.from(framing ?? (ends[k++ % ends.length] as string));
    pieces.forEach((p, i) => {
      for (const line of p.lines) parts.push(Buffer.from(line), end());
      // now and then no blank line: the next piece joins this event (ferrum_chat_short style)
      if (!(dropBlank[i] === true && i % 5 === 4)) parts.push(end());
    });
    return Buffer.concat(parts);
  });

describe('content template fast path equals the general path', () => {
  it('generated streams, cut into random reads, give identical records and flags', () => {
    const before = { ...fastTaken };
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (bytes, points) => {
        const reads = cut(bytes, points);
        expect(snapshot(reads, true)).toEqual(snapshot(reads, false));
      }),
      { numRuns: 400 },
    );
    // both fast paths were really taken, many times
    expect(fastTaken.run - before.run).toBeGreaterThan(1000);
    expect(fastTaken.raw - before.raw).toBeGreaterThan(100);
  });

  it('generated streams with each event its own read (one HTTP chunk per event) give identical results', () => {
    const before = fastTaken.run;
    fc.assert(
      fc.property(stream, (bytes) => {
        // cut after every blank line, as a server writing one chunk per event delivers it
        const text = bytes.toString('latin1');
        const points: number[] = [];
        for (const m of text.matchAll(/(\r\n|\n|\r)(\r\n|\n|\r)/g)) points.push(m.index + m[0].length);
        const reads = cut(bytes, points);
        expect(snapshot(reads, true)).toEqual(snapshot(reads, false));
      }),
      { numRuns: 300 },
    );
    expect(fastTaken.run - before).toBeGreaterThan(1000);
  });

  it('after [DONE], template events go to the full path and are labelled data_after_done', () => {
    const bytes = Buffer.from(
      [chunk('a'), chunk('b'), '[DONE]', chunk('c'), chunk('d')].map((p) => `data: ${p}\n\n`).join(''),
    );
    const fast = snapshot([bytes], true);
    expect(fast).toEqual(snapshot([bytes], false));
    expect(fast.eventMs.length).toBe(4);
    expect(fast.flags).toEqual(['data_after_done']);
  });

  it('a long template stream in one read takes every content event on the fast path, exactly', () => {
    const texts = Array.from({ length: 300 }, (_, i) => [' a', ' "b"', '\n', 'é', 'ok'][i % 5] as string);
    const bytes = Buffer.from(
      [`data: ${chunk('', {}).replace('"content":""', '"role":"assistant","content":""')}`]
        .concat(
          texts.map((t) => `data: ${chunk(t)}`),
          'data: [DONE]',
        )
        .join('\n\n'),
    );
    const fast = snapshot([bytes], true);
    expect(fast).toEqual(snapshot([bytes], false));
    expect(fast.eventMs.length).toBe(300);
    expect(fast.flags).toEqual([]);
    // the run really took them: a classifier fed only the run sees all but the learned first one
    const c = new ChunkClassifier();
    c.payload(chunk('first'));
    const start = bytes.indexOf(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1796429120,"model":"m","choices":[{"index":0,"delta":{"content":" a"',
    );
    const after = c.takeEvents(bytes, start);
    expect(c.eventsTaken).toBe(300);
    expect(bytes.subarray(after).toString()).toBe('data: [DONE]');
  });

  for (const file of readdirSync(SSE_DIR).filter((f) => f.endsWith('.sse'))) {
    it(`${file}: random splits (LF, CRLF and CR framings) give identical results`, () => {
      const raw = readFileSync(join(SSE_DIR, file));
      const variants = [
        raw,
        Buffer.from(raw.toString('utf8').replace(/\n/g, '\r\n')),
        Buffer.from(raw.toString('utf8').replace(/\n/g, '\r')),
        // the same chunks with blank lines between events, as most servers send them
        Buffer.from(raw.toString('utf8').replace(/\n(?=data:)/g, '\n\n')),
      ];
      fc.assert(
        fc.property(fc.constantFrom(...variants), fc.array(fc.nat(), { maxLength: 30 }), (bytes, points) => {
          const reads = cut(bytes, points);
          expect(snapshot(reads, true)).toEqual(snapshot(reads, false));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('ContentTemplate', () => {
  const learned = (content = 'seed') => {
    const t = new ContentTemplate();
    t.learn(chunk(content), content);
    return t;
  };
  const b = (s: string) => Buffer.from(s, 'utf8');

  it('learns the bytes around the content literal and recognises payloads with another text', () => {
    const t = learned();
    const p = b(chunk('hello'));
    const from = t.payloadText(p, 0, p.length);
    expect(p.toString('utf8', from, p.length - t.suffixLength)).toBe('hello');
    expect([t.triggered, t.escaped]).toEqual([false, false]);
    // inside a larger read, at an offset
    const q = b(`xx${chunk('hi')}yy`);
    expect(t.payloadText(q, 2, q.length - 2)).toBe(2 + (from - 0));
  });

  it('refuses other shapes, an empty text and texts that are not a JSON string body', () => {
    const t = learned();
    for (const other of [
      chunk('x', {}, 'chatcmpl-2'),
      chunk('x', { finish_reason: 'stop' }),
      chunk(''),
      chunk('a').replace('"a"', '"a"b"'),
      chunk('a').replace('"a"', '"a\u0001"'),
      chunk('a').replace('"a"', '"a\\q"'),
      chunk('a').replace('"a"', '"a\\u00g1"'),
    ]) {
      const p = b(other);
      expect(t.payloadText(p, 0, p.length)).toBe(-1);
    }
  });

  it('an unlearned template, or a literal it cannot locate exactly, recognises nothing', () => {
    const p = b(chunk('a'));
    expect(new ContentTemplate().payloadText(p, 0, p.length)).toBe(-1);
    // two `"content":"` keys: which one is the delta's text is not decided by bytes alone
    const twice = new ContentTemplate();
    const text = JSON.stringify({ choices: [{ delta: { content: 'a' } }], x: { content: 'b' } });
    twice.learn(text, 'a');
    expect(twice.payloadText(b(text), 0, text.length)).toBe(-1);
  });

  it('marks texts with escapes and with bytes a quality check could match', () => {
    const t = learned();
    const cases: Array<[string, boolean, boolean]> = [
      ['plain text', false, false],
      ['a\nb', false, true],
      ['\u00e9', true, false],
      ['<x', true, false],
      ['[x', true, false],
      ['kK', true, false],
      ['\u0000', false, true],
    ];
    for (const [text, triggered, escaped] of cases) {
      const p = b(chunk(text));
      expect(t.payloadText(p, 0, p.length)).toBeGreaterThan(0);
      expect([text, t.triggered, t.escaped]).toEqual([text, triggered, escaped]);
    }
  });

  it('textEnd: escapes are skipped whole; a read ending inside the text or an escape is no match', () => {
    const t = learned();
    const s = b('ab\\"c\\u00e9d"rest');
    expect(t.textEnd(s, 0)).toBe(s.indexOf('"rest'));
    expect(t.textEnd(b('abc'), 0)).toBe(-1);
    expect(t.textEnd(b('ab\\u00'), 0)).toBe(-1);
    expect(t.textEnd(b('ab\\'), 0)).toBe(-1);
    expect(t.textEnd(b('"'), 0)).toBe(-1);
  });

  it('a read of exactly one event is checked whole: its text end, or -1 for anything else', () => {
    const t = learned();
    for (const [sep, takes] of [
      ['\n\n', true],
      ['\r\n\r\n', true],
      ['\r\r', false],
      ['\n', false],
    ] as const) {
      for (const text of ['a', 'ab', 'a\\"b', 'x'.repeat(64), 'x'.repeat(65)]) {
        const one = b(`data: ${chunk(text)}${sep}`);
        const at = one.indexOf(`"content":"`) + 11;
        const body = Buffer.byteLength(JSON.stringify(text).slice(1, -1));
        const want = takes && body <= 64 ? at + body : -1;
        expect([sep, text, t.soleEventTextEnd(one, 0)]).toEqual([sep, text, want]);
        // the same event at an offset inside a larger read
        const later = Buffer.concat([b(': x\n'), one]);
        expect(t.soleEventTextEnd(later, 4)).toBe(want === -1 ? -1 : want + 4);
      }
    }
    // same length, other bytes in the head or in the tail: the one compare sees both
    const head = b(`data: ${chunk('ab', {}, 'chatcmpl-X')}\n\n`);
    const tail = b(`data: ${chunk('ab').replace('"logprobs":null', '"logprobs":nulL')}\n\n`);
    for (const other of [head, tail]) expect(t.soleEventTextEnd(other, 0)).toBe(-1);
    // two events in the read are not one
    expect(t.soleEventTextEnd(b(`data: ${chunk('a')}\n\ndata: ${chunk('b')}\n\n`), 0)).toBe(-1);
  });

  it('event framing: LF LF and CRLF CRLF runs; CR-only or a cut-off blank line is not taken', () => {
    const t = learned();
    for (const [sep, takes] of [
      ['\n\n', true],
      ['\r\n\r\n', true],
      ['\r\r', false],
      ['\n\r\n', false],
    ] as const) {
      const one = b(`data: ${chunk('a')}${sep}`);
      const from = t.eventText(one, 0);
      expect(from).toBeGreaterThan(0);
      const to = t.textEnd(one, from);
      expect(t.eventEnd(one, to)).toBe(takes ? one.length : -1);
      const two = b(`data: ${chunk('a')}${sep}data: ${chunk('b')}${sep}`);
      const next = t.nextEventText(two, to);
      expect(next === -1 ? -1 : two.toString('utf8', next, next + 1)).toBe(takes ? 'b' : -1);
    }
    const cutOff = b(`data: ${chunk('a')}\n`);
    expect(t.eventEnd(cutOff, t.textEnd(cutOff, t.eventText(cutOff, 0)))).toBe(-1);
    expect(t.eventText(b(`data:${chunk('a')}\n\n`), 0)).toBe(-1);
    expect(t.eventText(b(`: ping\n`), 0)).toBe(-1);
  });
});
