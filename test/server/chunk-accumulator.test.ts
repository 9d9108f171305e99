import { describe, expect, it } from 'vitest';
import { ChunkAccumulator } from '../../src/server/chunk-accumulator.js';

/** Decodes one HTTP/1.1 chunk: its size line, then exactly that many bytes, then CRLF. */
function unframe(chunk: Buffer): Buffer {
  const crlf = chunk.indexOf('\r\n');
  const size = Number.parseInt(chunk.subarray(0, crlf).toString('latin1'), 16);
  expect(chunk.length).toBe(crlf + 2 + size + 2);
  expect(chunk.subarray(crlf + 2 + size).toString('latin1')).toBe('\r\n');
  return chunk.subarray(crlf + 2, crlf + 2 + size);
}

describe('ChunkAccumulator', () => {
  it('frames what was appended as one chunk with a hex size line', () => {
    const acc = new ChunkAccumulator(4);
    acc.append(Buffer.from('data: a\n\n'));
    acc.appendText('data: 東京 ✓\n\n');
    expect(acc.byteLength).toBe(9 + Buffer.byteLength('data: 東京 ✓\n\n'));
    const chunk = acc.takeChunk();
    expect(chunk).toBeDefined();
    // 9 + 18 bytes: 東 and 京 are 3 bytes each in UTF-8, ✓ too
    expect(chunk?.subarray(0, 4).toString('latin1')).toBe('1b\r\n');
    expect(unframe(chunk as Buffer).toString('utf8')).toBe('data: a\n\ndata: 東京 ✓\n\n');
    expect(acc.byteLength).toBe(0);
    expect(acc.takeChunk()).toBeUndefined();
  });

  it('grows past its first capacity without losing bytes, and sizes above 0xfff frame right', () => {
    const acc = new ChunkAccumulator(8);
    const parts: string[] = [];
    for (let i = 0; i < 500; i++) {
      const part = `data: {"i":${i}}\n\n`;
      parts.push(part);
      acc.append(Buffer.from(part));
    }
    const body = unframe(acc.takeChunk() as Buffer);
    expect(body.length).toBeGreaterThan(0xfff);
    expect(body.toString()).toBe(parts.join(''));
  });

  it('never writes into a chunk it handed out until reclaim(), then reuses that buffer', () => {
    const acc = new ChunkAccumulator(64);
    acc.appendText('first');
    const first = acc.takeChunk() as Buffer;
    const copy = Buffer.from(first);
    acc.appendText('second, longer than the first');
    expect(first.equals(copy)).toBe(true);
    const second = acc.takeChunk() as Buffer;
    expect(unframe(second).toString()).toBe('second, longer than the first');
    acc.reclaim();
    acc.appendText('third');
    const third = acc.takeChunk() as Buffer;
    expect(unframe(third).toString()).toBe('third');
    // the reclaimed buffer was the second chunk's: same memory
    expect(third.buffer).toBe(second.buffer);
  });

  it('drainInto moves the bytes and empties the source', () => {
    const held = new ChunkAccumulator();
    const out = new ChunkAccumulator();
    out.appendText('a');
    held.appendText('bc');
    held.drainInto(out);
    expect(held.byteLength).toBe(0);
    expect(held.takeChunk()).toBeUndefined();
    expect(unframe(out.takeChunk() as Buffer).toString()).toBe('abc');
  });
});
