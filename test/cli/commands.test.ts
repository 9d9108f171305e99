// The command registry loads only the invoked command's module (start-up time, SPEC §10) while
// `goodput --help` still lists every command with the module's own description.

import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { COMMANDS, invokedCommand } from '../../src/cli/commands.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('command registry', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: the summary is the module’s own description',
    async (name, entry) => {
      const program = new Command();
      (await entry.load()).register(program, { io: memoryIo(), argv: [], exitCode: 0 });
      const registered = program.commands.find((c) => c.name() === name);
      expect(registered?.description()).toBe(entry.summary);
    },
  );

  it('finds the invoked command: the first word, or the word after help', () => {
    expect(invokedCommand(['bench-serve', '--concurrency', '4'])?.name).toBe('bench-serve');
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand([])).toBeUndefined();
    expect(invokedCommand(['help', 'calibrate'])?.name).toBe('calibrate');
    expect(invokedCommand(['no-such-command'])).toBeUndefined();
  });

  it('goodput --help lists every command in order', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    const listed = COMMANDS.map((c) => io.out().indexOf(`\n  ${c.name} `));
    expect(listed.every((at) => at > 0)).toBe(true);
    expect([...listed].sort((a, b) => a - b)).toEqual(listed);
  });

  it.each([[['calibrate', '--help']], [['help', 'calibrate']]])(
    '%j shows the loaded command’s own options',
    async (args) => {
      const io = memoryIo();
      expect(await main(args, io)).toBe(0);
      expect(io.out()).toContain('--duration <seconds>');
    },
  );

  it('an unknown command is a usage error naming it', async () => {
    const io = memoryIo();
    expect(await main(['bench-srve'], io)).toBe(2);
    expect(io.err()).toContain('bench-srve');
    expect(io.err()).toContain('bench-serve');
  });
});
