// A reader that goes away early (`goodput sim --help | head -1`) must not crash goodput with an
// unhandled EPIPE: the real binary, its stdout a pipe closed after the first bytes.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/goodput.js');

/** Runs goodput with its stdout a pipe whose reading end is closed before goodput writes. */
function runWithStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // what `head -1` does once it has its line, here before the first write: every write meets EPIPE
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('goodput with a stdout reader that leaves early', () => {
  it('help output to a closed pipe ends with exit 0 and no EPIPE crash', async () => {
    const result = await runWithStdoutClosed(['sim', '--help']);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
    expect(result.code).toBe(0);
  });

  it('an error still reaches stderr and sets the exit code when stdout is closed', async () => {
    const result = await runWithStdoutClosed(['sim', '--port', 'not-a-port']);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).not.toMatch(/EPIPE/);
    expect(result.code).toBe(2);
  });
});
