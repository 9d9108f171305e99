// Chrome trace events (the Trace Event Format read by Perfetto and chrome://tracing): ferrum's
// complete event (ferrum-behaviour §6, golden vector A.5) plus the metadata and counter events
// goodput adds. Serialisation is exact: keys in ferrum's order, `args` omitted when empty.

/** A complete event ("X"): a span with a start and a duration, both in integer µs. */
export interface CompleteEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X';
  readonly ts: number;
  readonly dur: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** A metadata event ("M") naming the process or a thread (track). */
export interface MetadataEvent {
  readonly name: 'process_name' | 'thread_name' | 'thread_sort_index';
  readonly ph: 'M';
  readonly pid: number;
  readonly tid: number;
  readonly args: Readonly<Record<string, unknown>>;
}

/** A counter event ("C"): one sample of one or more named series at a time in µs. */
export interface CounterEvent {
  readonly name: string;
  readonly ph: 'C';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly args: Readonly<Record<string, number>>;
}

export type TraceEvent = CompleteEvent | MetadataEvent | CounterEvent;

/** ferrum writes every event under process 0. */
export const TRACE_PID = 0;

/** Rounds half away from zero, as Rust's f64::round (ferrum-behaviour §6). */
export function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x)) + 0;
}

/**
 * ferrum's complete-event constructor: `dur` = round(durMs × 1000) with halves away from zero
 * (0.1235 ms → 124 µs); `tsUs` is taken as is (integer µs); `args` is kept only when non-empty.
 */
export function completeEvent(
  name: string,
  cat: string,
  tsUs: number,
  durMs: number,
  tid: number,
  args?: Readonly<Record<string, unknown>>,
): CompleteEvent {
  const base = {
    name,
    cat,
    ph: 'X' as const,
    ts: tsUs,
    dur: roundHalfAwayFromZero(durMs * 1000),
    pid: TRACE_PID,
    tid,
  };
  return args !== undefined && Object.keys(args).length > 0 ? { ...base, args } : base;
}

/** Converts a time in ms on a monotonic clock to integer µs since `originMs`. */
export function msToTraceUs(tMs: number, originMs: number): number {
  return roundHalfAwayFromZero((tMs - originMs) * 1000);
}

/** Compact JSON of one event with keys in ferrum's order and `args` omitted when empty. */
export function serializeTraceEvent(e: TraceEvent): string {
  switch (e.ph) {
    case 'X': {
      const head = `{"name":${JSON.stringify(e.name)},"cat":${JSON.stringify(e.cat)},"ph":"X","ts":${e.ts},"dur":${e.dur},"pid":${e.pid},"tid":${e.tid}`;
      return e.args !== undefined && Object.keys(e.args).length > 0
        ? `${head},"args":${JSON.stringify(e.args)}}`
        : `${head}}`;
    }
    case 'M':
      return `{"name":${JSON.stringify(e.name)},"ph":"M","pid":${e.pid},"tid":${e.tid},"args":${JSON.stringify(e.args)}}`;
    case 'C':
      return `{"name":${JSON.stringify(e.name)},"ph":"C","ts":${e.ts},"pid":${e.pid},"tid":${e.tid},"args":${JSON.stringify(e.args)}}`;
  }
}

/** ferrum's flush format: one compact JSON bare array of the events. */
export function serializeTraceArray(events: readonly TraceEvent[]): string {
  return `[${events.map(serializeTraceEvent).join(',')}]`;
}

/** Names the process (`process_name` metadata). */
export function processNameEvent(name: string): MetadataEvent {
  return { name: 'process_name', ph: 'M', pid: TRACE_PID, tid: 0, args: { name } };
}

/** Names one track (`thread_name` metadata) and pins its order in the viewer. */
export function threadNameEvents(tid: number, name: string): MetadataEvent[] {
  return [
    { name: 'thread_name', ph: 'M', pid: TRACE_PID, tid, args: { name } },
    { name: 'thread_sort_index', ph: 'M', pid: TRACE_PID, tid, args: { sort_index: tid } },
  ];
}

/** One counter sample; the series name is also the counter name. */
export function counterEvent(name: string, tsUs: number, value: number): CounterEvent {
  return { name, ph: 'C', ts: tsUs, pid: TRACE_PID, tid: 0, args: { [name]: value } };
}
