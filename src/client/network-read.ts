// Network reads as the client sees them. One socket read can hold several HTTP chunks that undici
// hands over as synchronous calls: they share one arrival time (taken at the first call) and one
// read number. Parsing is deferred to a setImmediate after the poll phase, so that when many
// sockets are readable at once every read is timestamped before any of them is parsed: the
// timestamp of the 500th stream does not wait for the SSE/JSON work of the 499 before it; and
// it runs in short slices, so reads arriving during a long batch wait at most one slice.

let readNumber = 0;
let readOpen = false;
let readArrivalMs = 0;

const closeRead = (): void => {
  readOpen = false;
};

/** Marks bytes arriving now; returns the number of the network read they belong to. */
export function arrivingRead(): number {
  if (!readOpen) {
    readOpen = true;
    readNumber++;
    readArrivalMs = performance.now();
    // microtasks run when the socket callback that delivered the read returns
    queueMicrotask(closeRead);
  }
  return readNumber;
}

/** Arrival time (performance.now() ms) of the read arrivingRead() last returned. */
export function readArrivalTime(): number {
  return readArrivalMs;
}

/** Something with parsing deferred until after the current poll phase. */
export interface DeferredParse {
  parsePending(): void;
}

/**
 * Parsing runs in slices of at most this long (ms): between slices the loop goes back to the poll
 * phase, so bytes arriving while a long batch is parsed (hundreds of streams stepping at once)
 * are stamped within a slice of arriving rather than after the whole batch.
 */
const PARSE_SLICE_MS = 0.2;

const queue: DeferredParse[] = [];
let head = 0;
let scheduled = false;

function drain(): void {
  scheduled = false;
  const deadline = performance.now() + PARSE_SLICE_MS;
  while (head < queue.length) {
    (queue[head++] as DeferredParse).parsePending();
    if (head < queue.length && performance.now() >= deadline) {
      // the rest after the next poll phase (targets queued meanwhile join the end)
      scheduled = true;
      setImmediate(drain);
      return;
    }
  }
  queue.length = 0;
  head = 0;
}

/** Queues `target.parsePending()` for after the poll phase (call once per pending batch). */
export function deferParse(target: DeferredParse): void {
  queue.push(target);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}
