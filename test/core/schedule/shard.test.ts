import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { shardSchedule } from '../../../src/core/schedule/shard.js';

describe('shardSchedule (execution segments, SPEC §9)', () => {
  it('partitions the schedule: disjoint shards whose union is every request, each in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 9 }),
        (raw, n) => {
          const offsets = [...raw].sort((a, b) => a - b);
          const shards = Array.from({ length: n }, (_, i) => shardSchedule(offsets, i, n));
          const all = shards.flatMap((s) => s.indices).sort((a, b) => a - b);
          const ordered = shards.every((s) =>
            s.indices.every((j, k) => k === 0 || j > (s.indices[k - 1] as number)),
          );
          const sizes = shards.map((s) => s.indices.length);
          return (
            all.length === offsets.length &&
            all.every((j, k) => j === k) &&
            ordered &&
            shards.every((s) => s.offsetsMs.every((t, k) => t === offsets[s.indices[k] as number])) &&
            Math.max(...sizes) - Math.min(...sizes) <= 1
          );
        },
      ),
    );
  });

  it('stripes arrivals so every shard sees the whole run at 1/N of the rate', () => {
    const offsets = Array.from({ length: 12 }, (_, i) => i * 100);
    expect(shardSchedule(offsets, 1, 4)).toEqual({
      shard: 1,
      shards: 4,
      indices: [1, 5, 9],
      offsetsMs: [100, 500, 900],
    });
  });

  it('rejects a shard outside 0..N−1 with a usage error', () => {
    for (const [i, n] of [
      [4, 4],
      [-1, 2],
      [0, 0],
      [0.5, 2],
    ] as const) {
      try {
        shardSchedule([1, 2], i, n);
        expect.unreachable();
      } catch (e) {
        expect(isGoodputError(e, 'USAGE')).toBe(true);
      }
    }
  });
});
