// Reads a Chrome trace file for the trace tools: plain or gzip (by its magic bytes, whatever the
// name), including a gzip stream or a streamed trace that was cut off mid-write.

import { readFile } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { GoodputError } from '../core/errors.js';
import { type ParsedTrace, parseTraceText } from '../core/trace/trace-parse.js';

/** Reads and parses `path`; every failure is a GoodputError naming the file. */
export async function readTraceFile(path: string): Promise<ParsedTrace & { readonly gzip: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new GoodputError(
      'INPUT_MISSING',
      `cannot read trace ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'pass the path of a Chrome trace (.json or .json.gz)',
      },
    );
  }
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (gzip) {
    try {
      // SYNC_FLUSH: a truncated gzip stream yields what it holds instead of failing
      bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (e) {
      throw new GoodputError('INPUT_NOT_JSON', `${path}: not a valid gzip file (${(e as Error).message})`);
    }
  }
  return { ...parseTraceText(bytes.toString('utf8'), path), gzip };
}
