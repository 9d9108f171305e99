import { describe, expect, it } from 'vitest';
import { VOCABULARY } from '../../src/core/sim/vocabulary.js';
import { BufferPool } from '../../src/server/buffer-pool.js';
import { ChunkAccumulator } from '../../src/server/chunk-accumulator.js';
import { SseChunks } from '../../src/server/sse-chunks.js';

/** Decodes HTTP/1.1 chunked framing: each chunk's hex size line, exactly that many bytes, CRLF. */
function unchunk(wire: Buffer): string[] {
  const chunks: string[] = [];
  let at = 0;
  while (at < wire.length) {
    const crlf = wire.indexOf('\r\n', at);
    expect(crlf).toBeGreaterThan(at);
    const sizeLine = wire.subarray(at, crlf).toString('latin1');
    expect(sizeLine).toMatch(/^[0-9a-f]+$/);
    const size = Number.parseInt(sizeLine, 16);
    const body = wire.subarray(crlf + 2, crlf + 2 + size);
    expect(body.length).toBe(size);
    expect(wire.subarray(crlf + 2 + size, crlf + 4 + size).toString('latin1')).toBe('\r\n');
    chunks.push(body.toString('utf8'));
    at = crlf + 4 + size;
  }
  return chunks;
}

describe('ChunkAccumulator', () => {
  it('frames every appended event as its own chunk, UTF-8 sizes in bytes', () => {
    const acc = new ChunkAccumulator();
    acc.appendChunk(Buffer.from('data: a\n\n'));
    acc.appendTextChunk('data: 東京 ✓\n\n');
    acc.appendChunkOf3(Buffer.from('data: {"c":"'), Buffer.from(' café'), Buffer.from('"}\n\n'));
    const wire = acc.take() as Buffer;
    // 東, 京 and ✓ are 3 bytes each in UTF-8: the second chunk is 0x12 = 18 bytes, not 12
    expect(wire.toString('utf8')).toContain('\r\n12\r\ndata: 東京 ✓\n\n\r\n');
    expect(unchunk(wire)).toEqual(['data: a\n\n', 'data: 東京 ✓\n\n', 'data: {"c":" café"}\n\n']);
    expect(acc.byteLength).toBe(0);
    expect(acc.take()).toBeUndefined();
  });

  it('writes size lines of one to four hex digits exactly (0, 0xf, 0x10, 0xfff, 0x1000)', () => {
    for (const size of [0, 1, 15, 16, 255, 256, 4095, 4096, 70_000]) {
      const acc = new ChunkAccumulator();
      acc.appendChunk(Buffer.alloc(size, 0x61));
      const wire = acc.take() as Buffer;
      expect(wire.subarray(0, wire.indexOf('\r\n')).toString('latin1')).toBe(size.toString(16));
      expect(unchunk(wire)).toEqual(['a'.repeat(size)]);
    }
  });

  it('grows past its first capacity without losing or reordering events', () => {
    const acc = new ChunkAccumulator();
    const events: string[] = [];
    for (let i = 0; i < 1000; i++) {
      events.push(`data: {"i":${i}}\n\n`);
      acc.appendTextChunk(events[i] as string);
    }
    expect(unchunk(acc.take() as Buffer)).toEqual(events);
  });

  it('never writes into a buffer it handed out until reclaim(), then reuses it', () => {
    const acc = new ChunkAccumulator();
    acc.appendTextChunk('first');
    const first = acc.take() as Buffer;
    const copy = Buffer.from(first);
    acc.appendTextChunk('second, longer than the first');
    expect(first.equals(copy)).toBe(true);
    const second = acc.take() as Buffer;
    expect(unchunk(second)).toEqual(['second, longer than the first']);
    acc.reclaim();
    acc.appendTextChunk('third');
    const third = acc.take() as Buffer;
    expect(unchunk(third)).toEqual(['third']);
    expect(third.buffer).toBe(second.buffer);
    expect(third.byteOffset).toBe(second.byteOffset);
  });

  it('an unframed accumulator drains its events into the target as ONE chunk, after what it holds', () => {
    const held = new ChunkAccumulator(new BufferPool(), false);
    const out = new ChunkAccumulator();
    out.appendTextChunk('a');
    held.appendTextChunk('data: b\n\n');
    held.appendChunkOf3(Buffer.from('data: '), Buffer.from('c'), Buffer.from('\n\n'));
    held.drainIntoOneChunk(out);
    expect(held.byteLength).toBe(0);
    expect(held.take()).toBeUndefined();
    expect(unchunk(out.take() as Buffer)).toEqual(['a', 'data: b\n\ndata: c\n\n']);
  });

  it('accumulators share one pool: a buffer reclaimed by one serves the next, never two at once', () => {
    const pool = new BufferPool();
    const a = new ChunkAccumulator(pool);
    const b = new ChunkAccumulator(pool);
    a.appendTextChunk('from a');
    const fromA = a.take() as Buffer;
    b.appendTextChunk('from b, while a is still lent');
    const fromB = b.take() as Buffer;
    expect(fromB.buffer).not.toBe(fromA.buffer);
    expect(unchunk(fromA)).toEqual(['from a']);
    a.reclaim();
    expect(pool.size).toBe(1);
    b.appendTextChunk('b again');
    const again = b.take() as Buffer;
    expect(again.buffer).toBe(fromA.buffer);
    expect(pool.size).toBe(0);
    expect(unchunk(again)).toEqual(['b again']);
    expect(unchunk(fromB)).toEqual(['from b, while a is still lent']);
  });
});

describe('SseChunks word events', () => {
  it.each(['chat', 'completions'] as const)(
    '%s: the pre-built word event is byte for byte the spliced one, for every vocabulary word, framed and unframed',
    (endpoint) => {
      const chunks = new SseChunks(endpoint, 'chatcmpl-sim-7', 1_733_370_000, 'model "x"');
      for (const framed of [true, false]) {
        const viaWord = new ChunkAccumulator(new BufferPool(), framed);
        const viaBytes = new ChunkAccumulator(new BufferPool(), framed);
        for (const word of VOCABULARY) {
          chunks.appendWord(viaWord, word);
          chunks.appendToken(viaBytes, word.jsonUtf8);
        }
        const a = viaWord.take() as Buffer;
        expect(a.equals(viaBytes.take() as Buffer)).toBe(true);
        if (!framed) continue;
        const events = unchunk(a);
        expect(events).toHaveLength(VOCABULARY.length);
        events.forEach((event, i) => {
          expect(event.startsWith('data: ') && event.endsWith('\n\n')).toBe(true);
          const json = JSON.parse(event.slice(6));
          const choice = json.choices[0];
          expect(endpoint === 'chat' ? choice.delta.content : choice.text).toBe(VOCABULARY[i]?.text);
          expect(json.model).toBe('model "x"');
        });
      }
    },
  );
});

describe('BufferPool', () => {
  it('hands out power-of-two buffers of at least the size asked, keeps at most maxBytesPerSize of each size', () => {
    const pool = new BufferPool(8192);
    const sizes = [1, 4096, 4097, 65_536];
    const bufs = sizes.map((n) => pool.acquire(n));
    expect(bufs.map((b) => b.length)).toEqual([4096, 4096, 8192, 65_536]);
    for (const b of bufs) pool.release(b);
    // two of 4 KiB and one of 8 KiB fit in 8192 bytes each; 64 KiB does not
    expect(pool.size).toBe(3);
    pool.release(Buffer.allocUnsafeSlow(4096));
    expect(pool.size).toBe(3);
    expect(pool.acquire(3000)).toBe(bufs[1]);
    expect(pool.acquire(5000)).toBe(bufs[2]);
    expect(pool.size).toBe(1);
  });

  it('never keeps what it cannot hand out whole: odd sizes, slices, over 1 MiB', () => {
    const pool = new BufferPool();
    const big = pool.acquire((1 << 20) + 1);
    expect(big.length).toBe((1 << 20) + 1);
    pool.release(big);
    pool.release(Buffer.allocUnsafeSlow(5000));
    pool.release(Buffer.allocUnsafeSlow(8192).subarray(4096));
    expect(pool.size).toBe(0);
  });
});
