import { describe, expect, it } from 'vitest';
import { ChunkAccumulator } from '../../src/server/chunk-accumulator.js';

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
    const acc = new ChunkAccumulator(true, 4);
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
      const acc = new ChunkAccumulator(true, 8);
      acc.appendChunk(Buffer.alloc(size, 0x61));
      const wire = acc.take() as Buffer;
      expect(wire.subarray(0, wire.indexOf('\r\n')).toString('latin1')).toBe(size.toString(16));
      expect(unchunk(wire)).toEqual(['a'.repeat(size)]);
    }
  });

  it('grows past its first capacity without losing or reordering events', () => {
    const acc = new ChunkAccumulator(true, 8);
    const events: string[] = [];
    for (let i = 0; i < 500; i++) {
      events.push(`data: {"i":${i}}\n\n`);
      acc.appendTextChunk(events[i] as string);
    }
    expect(unchunk(acc.take() as Buffer)).toEqual(events);
  });

  it('never writes into a buffer it handed out until reclaim(), then reuses it', () => {
    const acc = new ChunkAccumulator(true, 64);
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
    const held = new ChunkAccumulator(false);
    const out = new ChunkAccumulator();
    out.appendTextChunk('a');
    held.appendTextChunk('data: b\n\n');
    held.appendChunkOf3(Buffer.from('data: '), Buffer.from('c'), Buffer.from('\n\n'));
    held.drainIntoOneChunk(out);
    expect(held.byteLength).toBe(0);
    expect(held.take()).toBeUndefined();
    expect(unchunk(out.take() as Buffer)).toEqual(['a', 'data: b\n\ndata: c\n\n']);
  });
});
