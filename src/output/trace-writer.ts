// Streams a Chrome trace to disk as the run goes (ferrum-behaviour §13.5 item 40): the file starts
// `{"traceEvents":[` and each event is appended, so a crash keeps everything flushed before it
// (readers accept the cut-off file); close() writes the counters and the closing `]}`.
// Events are batched and flushed synchronously every 250 ms (a timer) or 64 KiB.

import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { requestSpanEvents, TrackAssigner } from '../core/trace/request-spans.js';
import { RunCounters } from '../core/trace/run-counters.js';
import {
  counterEvent,
  msToTraceUs,
  processNameEvent,
  serializeTraceEvent,
  type TraceEvent,
  threadNameEvents,
} from '../core/trace/trace-event.js';

export interface TraceWriterOptions {
  /** time origin on the records' monotonic clock, in ms; trace ts are µs since it (default 0) */
  readonly originMs?: number;
  /** the process name shown by the viewer (default "goodput") */
  readonly processName?: string;
  /** what a record's `conn` is: "connection" (bench-serve, the default) or "worker" (bench) */
  readonly trackLabel?: string;
  /** width of the output-tokens/s counter buckets in ms (default 250) */
  readonly tokenRateBucketMs?: number;
  /** flush the batch after this many ms (default 250); 0 flushes on every event */
  readonly flushIntervalMs?: number;
}

export interface TraceWriter {
  /** the request's span and phases on its connection's or worker's track; feeds the counters */
  requestSpan(record: RequestRecord): void;
  /** one sample of a named counter at `tsMs` on the records' clock */
  counter(name: string, tsMs: number, value: number): void;
  /** any other event (ferrum-style layer spans), written as given */
  event(e: TraceEvent): void;
  /** writes the in-flight and tokens/s counters and closes the file; idempotent */
  close(): void;
  readonly path: string;
}

const FLUSH_BYTES = 64 * 1024;

/** Opens `path` (creating its directory) and writes the header at once. */
export function openTraceWriter(path: string, options: TraceWriterOptions = {}): TraceWriter {
  const originMs = options.originMs ?? 0;
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (e) {
    throw new GoodputError('IO', `cannot write the trace to ${path}: ${(e as Error).message}`, {
      hint: 'check that the directory of --trace-out is writable',
    });
  }
  const tracks = new TrackAssigner(options.trackLabel ?? 'connection');
  const counters = new RunCounters(originMs, options.tokenRateBucketMs ?? 250);
  const namedTids = new Set<number>();
  let pending = '';
  let first = true;
  let closed = false;

  const flush = (): void => {
    if (pending === '') return;
    writeSync(fd, pending);
    pending = '';
  };
  const append = (e: TraceEvent): void => {
    if (closed) throw new GoodputError('INTERNAL', `trace ${path}: event after close()`);
    pending += `${first ? '' : ','}\n${serializeTraceEvent(e)}`;
    first = false;
    if (flushIntervalMs === 0 || pending.length >= FLUSH_BYTES) flush();
  };
  // a quiet stretch still reaches the disk: a crash loses at most flushIntervalMs of events
  const timer = flushIntervalMs > 0 ? setInterval(flush, flushIntervalMs) : undefined;
  timer?.unref();

  writeSync(fd, '{"traceEvents":[');
  append(processNameEvent(options.processName ?? 'goodput'));
  flush();

  return {
    path,
    requestSpan(record) {
      const { tid, name } = tracks.assign(record);
      if (!namedTids.has(tid)) {
        namedTids.add(tid);
        for (const m of threadNameEvents(tid, name)) append(m);
      }
      for (const e of requestSpanEvents(record, tid, originMs)) append(e);
      counters.add(record);
    },
    counter(name, tsMs, value) {
      append(counterEvent(name, msToTraceUs(tsMs, originMs), value));
    },
    event(e) {
      append(e);
    },
    close() {
      if (closed) return;
      clearInterval(timer);
      for (const e of counters.events()) append(e);
      closed = true;
      pending += '\n],"displayTimeUnit":"ms"}\n';
      flush();
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}
