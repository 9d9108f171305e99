// Network reads as the client sees them. One socket read can hold several HTTP chunks that undici
// hands over as synchronous calls: they share one arrival time (taken at the first call) and one
// read number. Parsing is deferred to a setImmediate after the poll phase, so that when many
// sockets are readable at once every read is timestamped before any of them is parsed: the
// timestamp of the 500th stream does not wait for the SSE/JSON work of the 499 before it.

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

const queue: DeferredParse[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  // parsing may queue more (it never should, but a later read of the same request would)
  for (let i = 0; i < queue.length; i++) (queue[i] as DeferredParse).parsePending();
  queue.length = 0;
}

/** Queues `target.parsePending()` for after the poll phase (call once per pending batch). */
export function deferParse(target: DeferredParse): void {
  queue.push(target);
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}
