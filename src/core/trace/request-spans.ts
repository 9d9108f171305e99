// One request as trace events (SPEC §8.3): a span from send (or from its scheduled time, when it
// queued) to the end of its stream, with its phases nested inside on the same track: queue,
// connect, waiting for the first token, decode. Times come from the raw RequestRecord only.

import type { RequestRecord } from '../schema/request-record.js';
import { type CompleteEvent, msToTraceUs, TRACE_PID } from './trace-event.js';

/** The phase spans' names, in time order. */
export const REQUEST_PHASES = ['queue', 'connect', 'wait_first_token', 'decode'] as const;

/** A span between two times in ms; both ends are rounded to µs first so children nest exactly. */
function span(
  name: string,
  cat: string,
  startMs: number,
  endMs: number,
  originMs: number,
  tid: number,
  args?: Record<string, unknown>,
): CompleteEvent {
  const ts = msToTraceUs(startMs, originMs);
  const dur = Math.max(0, msToTraceUs(endMs, originMs) - ts);
  const base = { name, cat, ph: 'X' as const, ts, dur, pid: TRACE_PID, tid };
  return args ? { ...base, args } : base;
}

/** The facts a reader of the trace wants on the request span (no derived metrics). */
function requestArgs(r: RequestRecord): Record<string, unknown> {
  const args: Record<string, unknown> = {
    id: r.id,
    cell: r.cell,
    repeat: r.repeat,
    index: r.index,
    output_events: r.event_ms.length,
  };
  if (r.warmup) args.warmup = true;
  if (r.usage_output_tokens !== undefined) args.usage_output_tokens = r.usage_output_tokens;
  if (r.input_tokens > 0) args.input_tokens = r.input_tokens;
  if (r.status !== undefined) args.status = r.status;
  if (r.finish_reason !== undefined) args.finish_reason = r.finish_reason;
  if (r.flags.length > 0) args.flags = r.flags;
  if (r.error !== undefined) args.error = r.error;
  return args;
}

/**
 * The request span and its phase spans on track `tid`, with timestamps in µs since `originMs`
 * (the records' monotonic clock). Phases with no evidence are left out: queue needs a scheduled
 * time before the send, connect a new connection, decode at least two output events.
 */
export function requestSpanEvents(r: RequestRecord, tid: number, originMs: number): CompleteEvent[] {
  const queued = r.scheduled_ms !== undefined && r.scheduled_ms < r.send_ms;
  const startMs = queued ? (r.scheduled_ms as number) : r.send_ms;
  const events: CompleteEvent[] = [
    span(
      r.warmup ? 'warmup request' : 'request',
      'request',
      startMs,
      r.end_ms,
      originMs,
      tid,
      requestArgs(r),
    ),
  ];
  if (queued) events.push(span('queue', 'request_phase', startMs, r.send_ms, originMs, tid));
  let waitStartMs = r.send_ms;
  if (r.connected_ms !== undefined && r.connected_ms >= r.send_ms) {
    events.push(span('connect', 'request_phase', r.send_ms, r.connected_ms, originMs, tid));
    waitStartMs = r.connected_ms;
  }
  const first = r.event_ms[0];
  const last = r.event_ms[r.event_ms.length - 1];
  events.push(span('wait_first_token', 'request_phase', waitStartMs, first ?? r.end_ms, originMs, tid));
  if (first !== undefined && last !== undefined && r.event_ms.length >= 2) {
    events.push(span('decode', 'request_phase', first, last, originMs, tid));
  }
  return events;
}

/**
 * Gives each request a track: its own connection or worker (`conn`) when the record has one,
 * otherwise the lowest lane that is free at its start, so spans on one track never overlap.
 * Track ids start at 1; tid 0 is the process-level track of the counters.
 */
export class TrackAssigner {
  private readonly laneEndsMs: number[] = [];

  /** @param connLabel names the tracks of records with a `conn`, e.g. "connection" or "worker" */
  constructor(private readonly connLabel: string) {}

  /** The record's track id and the track's display name. */
  assign(r: RequestRecord): { tid: number; name: string } {
    if (r.conn !== undefined) return { tid: r.conn + 1, name: `${this.connLabel} ${r.conn}` };
    const startMs = r.scheduled_ms !== undefined && r.scheduled_ms < r.send_ms ? r.scheduled_ms : r.send_ms;
    // a lane's end only grows and a request joins a lane only after its end: spans never overlap
    let lane = this.laneEndsMs.findIndex((endMs) => endMs <= startMs);
    if (lane < 0) lane = this.laneEndsMs.push(r.end_ms) - 1;
    else this.laneEndsMs[lane] = r.end_ms;
    return { tid: lane + 1, name: `lane ${lane}` };
  }
}
