// The calibration of one machine's client ceiling (`goodput calibrate`, SPEC §3.9): the output
// events/s and requests/s one load-generating thread can time within the fidelity targets, with
// the levels that were tried. Its file shape, parsing with JSON-path errors, and serialisation.

import { z } from 'zod';
import { GoodputError } from '../errors.js';
import { formatJsonPath } from '../schema/json-path.js';

export const CALIBRATION_SCHEMA_VERSION = 1;

/** One level of a calibration ramp and what was measured at it. */
export const CalibrationLevelSchema = z.looseObject({
  /** `events`: K paced streams (events/s); `requests`: open-loop arrivals of short requests (requests/s) */
  kind: z.enum(['events', 'requests']),
  /** the rate offered at this level (events/s or requests/s) */
  offered_per_s: z.number().min(0),
  /** the rate the client timed */
  achieved_per_s: z.number().min(0),
  /** client first-event arrival − server write of the first token, median (ms) */
  ttft_error_p50_ms: z.number().optional(),
  /** client arrival − server write of every output event, p99 (ms) */
  event_error_p99_ms: z.number().optional(),
  /** open-loop sends, actual − scheduled, p99 (ms) */
  dispatch_lag_p99_ms: z.number().optional(),
  event_loop_delay_p99_ms: z.number().optional(),
  /** busy fraction of the client thread's event loop (the simulator runs on another thread) */
  loop_utilization: z.number().optional(),
  /** 2 when the level failed once and was measured again (the kept attempt is shown) */
  attempts: z.int().min(1).optional(),
  /** every fidelity criterion held */
  ok: z.boolean(),
  /** the criteria that failed */
  failed: z.array(z.string()).default(() => []),
});
export type CalibrationLevel = z.infer<typeof CalibrationLevelSchema>;

export const CalibrationSchema = z.looseObject({
  schema_version: z.int().min(1),
  tool_version: z.string().optional(),
  /** ISO 8601 time of the measurement */
  measured_at: z.string(),
  /** what the ceiling belongs to: platform, CPU model and count, Node version */
  machine: z.string().optional(),
  /** output events per second one thread timed within the fidelity targets */
  max_events_per_s: z.number().min(0),
  /** requests per second one thread sent and timed within the fidelity targets */
  max_requests_per_s: z.number().min(0),
  /** 1-minute load average while calibrating (a busy machine calibrates low) */
  load_average: z.number().optional(),
  levels: z.array(CalibrationLevelSchema).default(() => []),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

/** Parses a calibration file's text; errors name the file and the JSON path. */
export function parseCalibration(text: string, source: string): Calibration {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GoodputError('INPUT_NOT_JSON', `${source}: not a calibration file (${(e as Error).message})`, {
      hint: 'run `goodput calibrate` to write one, or point --calibration at the file it wrote',
    });
  }
  const result = CalibrationSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${formatJsonPath(issue.path) || '(root)'}: ${issue.message}`,
    );
    throw new GoodputError('INPUT_SCHEMA', `${source}: ${problems.join('; ')}`, {
      hint: 'run `goodput calibrate` again to rewrite the file',
    });
  }
  return result.data;
}

/** The file's text: pretty JSON with a trailing newline. */
export function serializeCalibration(calibration: Calibration): string {
  return `${JSON.stringify(calibration, null, 2)}\n`;
}
