// Atomic file writes: the content goes to a temporary file in the same directory, is fsynced, and
// is renamed over the target, so a reader (or a crash) never sees half a file (SPEC §1).

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GoodputError } from '../core/errors.js';

let counter = 0;

/** Writes `content` to `path` atomically, creating the parent directory if needed. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new GoodputError('IO', `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}
