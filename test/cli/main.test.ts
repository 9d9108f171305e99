import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('goodput main', () => {
  it('prints help with exit 0', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: goodput');
  });

  it('rejects an unknown option with exit 2 and names it', async () => {
    const io = memoryIo();
    expect(await main(['--no-such-flag'], io)).toBe(2);
    expect(io.err()).toContain('--no-such-flag');
  });
});
