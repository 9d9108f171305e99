// Appends ferrum ProfileEvents to a JSONL file (ferrum-behaviour §5.5), each line stamped with
// goodput's schema version, wall-clock time, pid and sequence number (SPEC §8.2). Like ferrum:
// parent directories are created, the file is opened for append, an invalid event is refused and
// nothing is written, and every line is written whole in one call.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GoodputError } from '../core/errors.js';
import {
  nativeProfileEvent,
  PROFILE_SCHEMA_VERSION,
  ProfileEventError,
  type ProfileMetadata,
  serializeProfileEvent,
} from '../core/profile/profile-event.js';

export interface ProfileWriter {
  /** writes one native event (source "native") built from the writer's metadata */
  push(
    event: string,
    shape: Readonly<Record<string, unknown>>,
    stageUs: Readonly<Record<string, unknown>>,
    graphEnabled: boolean,
  ): void;
  close(): void;
  readonly path: string;
}

export interface ProfileWriterOptions {
  /** wall-clock ms since the epoch, for the stamp (Date.now by default) */
  readonly clock?: () => number;
  readonly pid?: number;
}

export function openProfileWriter(
  path: string,
  metadata: ProfileMetadata,
  options: ProfileWriterOptions = {},
): ProfileWriter {
  const clock = options.clock ?? Date.now;
  const pid = options.pid ?? process.pid;
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
  } catch (e) {
    throw new GoodputError('IO', `cannot open the profile sink ${path}: ${(e as Error).message}`, {
      hint: 'check that the directory is writable',
    });
  }
  let seq = 0;
  let closed = false;
  return {
    path,
    push(event, shape, stageUs, graphEnabled) {
      if (closed) throw new GoodputError('INTERNAL', `profile ${path}: push() after close()`);
      let line: string;
      try {
        line = serializeProfileEvent(nativeProfileEvent(metadata, event, shape, stageUs, graphEnabled), {
          schema_version: PROFILE_SCHEMA_VERSION,
          ts_unix_ms: clock(),
          pid,
          seq,
        });
      } catch (e) {
        if (e instanceof ProfileEventError)
          throw new GoodputError('INPUT_SCHEMA', `profile event ${event}: ${e.message}`);
        throw e;
      }
      writeSync(fd, `${line}\n`);
      seq++;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
