// A synchronous, bounded-memory line reader for JSONL files, so a large requests.jsonl can be
// streamed into the ledger inside one (necessarily synchronous) SQLite transaction.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Yields each line of `path` without its line end (`\n` or `\r\n`), reading 1 MiB at a time. */
export function* readLinesSync(path: string, chunkBytes = 1 << 20): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) break;
      pending += decoder.write(buffer.subarray(0, n));
      let start = 0;
      let nl = pending.indexOf('\n', start);
      while (nl >= 0) {
        const line = pending.slice(start, nl);
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
        start = nl + 1;
        nl = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.end();
    if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
  } finally {
    closeSync(fd);
  }
}
