// The simulator's one global step loop: asks the scheduler for a step, waits until the step's end
// on the monotonic clock, delivers its tokens, and starts the next step at the previous step's
// END time (not "now"), so rounding and timer lateness do not accumulate into drift.
// Waiting: a coarse setTimeout until a spin window before the deadline (1.5 ms, or 10 % of a long
// wait up to 5 ms, since timers fire late on a busy machine), then setImmediate polls the clock,
// which keeps emitted times within ~0.1 ms while still letting I/O run between polls.
// If the loop falls more than RESYNC_MS behind (an overloaded process), the model time jumps to
// now instead of bursting to catch up. Steps that are already due when the previous one ends
// (zero-cost profiles) run back to back up to burstSteps per turn, so their events leave in one
// write per stream; with burstSteps = 1 every step gets its own turn and its own writes.

import type { SimStep } from '../core/sim/scheduler.js';

const SPIN_WINDOW_MS = 1.5;
const SPIN_FRACTION = 0.1;
const SPIN_WINDOW_MAX_MS = 5;
const RESYNC_MS = 100;

export interface StepSource {
  step(startMs: number): SimStep | undefined;
}

export interface StepHandlers {
  /** the step was planned (admissions are known) at its start */
  planned(step: SimStep): void;
  /** the step's end time was reached: deliver its tokens */
  completed(step: SimStep): void;
}

export class StepLoop {
  private state: 'idle' | 'scheduled' | 'running' | 'stopped' = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly source: StepSource,
    private readonly now: () => number,
    private readonly handlers: StepHandlers,
    /** most steps run back to back in one turn when they are already due (≥ 1) */
    private readonly burstSteps = 1,
  ) {}

  /** Called after new work was submitted: starts a step on the next turn if the loop is idle. */
  wake(): void {
    if (this.state !== 'idle') return;
    this.state = 'scheduled';
    // on the next turn, so every request that arrived in this I/O phase joins the same step
    this.immediate = setImmediate(() => this.run(this.now()));
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  private run(startMs: number): void {
    let start = startMs;
    // steps already due run back to back, up to burstSteps per turn; then the loop yields to I/O
    for (let burst = 1; ; burst++) {
      if (this.state === 'stopped') return;
      const step = this.source.step(start);
      if (!step) {
        this.state = 'idle';
        return;
      }
      this.state = 'running';
      this.handlers.planned(step);
      const endMs = start + step.durationMs;
      if (burst >= this.burstSteps || endMs > this.now()) {
        this.waitUntil(endMs, step);
        return;
      }
      this.handlers.completed(step);
      start = this.nextStart(endMs);
    }
  }

  private nextStart(endMs: number): number {
    const now = this.now();
    return now - endMs > RESYNC_MS ? now : endMs;
  }

  private waitUntil(endMs: number, step: SimStep): void {
    if (this.state === 'stopped') return;
    const remaining = endMs - this.now();
    // timers fire up to a few ms late on a busy machine: the longer the wait, the earlier we wake
    const spinMs = Math.min(Math.max(SPIN_WINDOW_MS, remaining * SPIN_FRACTION), SPIN_WINDOW_MAX_MS);
    if (remaining > spinMs) {
      this.timer = setTimeout(() => this.waitUntil(endMs, step), remaining - spinMs);
      return;
    }
    this.immediate = setImmediate(() => {
      if (this.state === 'stopped') return;
      if (this.now() < endMs) {
        this.waitUntil(endMs, step);
        return;
      }
      this.handlers.completed(step);
      this.run(this.nextStart(endMs));
    });
  }
}
