// Runs one side of a benchmark in a fresh Node process (STYLE habit 11: no JIT state, heap or
// sockets carried over from the other side) and reads the JSON object its probe prints as the
// last line of stdout. Probes are the bench/*.ts files that print one JSON line when run alone.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file in bench/ (the probes live beside this module). */
export function benchScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/**
 * Runs `node --import tsx bench/<script> ...args` to completion and returns its stdout. Rejects
 * with the script's stderr tail when it exits non-zero or runs past `timeoutMs`; the child is
 * killed by its own pid on timeout.
 */
export function runBenchScript(
  script: string,
  args: readonly string[],
  timeoutMs = 180_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', benchScript(script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
        return;
      }
      const tail = err.trim().split('\n').slice(-5).join('\n');
      reject(new Error(`${script} ${args.join(' ')}: ${signal ?? `exit ${code}`}\n${tail}`));
    });
  });
}

/** Runs a probe (see runBenchScript) and parses the last line of its stdout as JSON. */
export async function runProbe<T>(script: string, args: readonly string[], timeoutMs?: number): Promise<T> {
  const out = await runBenchScript(script, args, timeoutMs);
  const last = out.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`${script} printed no JSON line: ${last.slice(0, 200)}`);
  return JSON.parse(last) as T;
}

/** Wall time (ms) of running `command args` to completion, output discarded. */
export function timeCommand(command: string, args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
    });
  });
}
