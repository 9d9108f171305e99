// `goodput calibrate [--duration S] [--out FILE]`: measures this machine's client ceiling (the
// events/s and requests/s one thread times within the fidelity targets) against the in-process
// simulator, stores it where bench-serve finds it, and prints it. Heavy modules load in the action.

import { GoodputError } from '../core/errors.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput calibrate                         # ~10 s; stored in ~/.cache/goodput/calibration.json
  goodput calibrate --duration 30 --out calib.json --json

Every bench-serve report then carries the calibration in goodput.client and sets client_limited
(with the reasons) when the run came within 20 % of it, used a core's worth of CPU, saw an
event-loop delay p99 above 20 ms, or sent open-loop requests more than 2 ms late at p99.
bench-serve --calibration FILE reads another file; --workers auto uses it to choose threads.`;

/** Default budget of the whole calibration, seconds. */
const DEFAULT_DURATION_S = 10;

export const calibrateCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('calibrate')
      .description(
        "Measure this machine's client ceiling (events/s and requests/s timed accurately) and store it.",
      )
      .option('--duration <seconds>', 'time budget of the whole calibration', String(DEFAULT_DURATION_S))
      .option(
        '--out <file>',
        'where to store it (default $XDG_CACHE_HOME or ~/.cache/goodput/calibration.json)',
      )
      .option('--json', 'print the calibration as JSON on stdout instead of the summary')
      .addHelpText('after', EXAMPLES)
      .action(async (opts) => {
        const durationS = Number(opts.duration);
        if (!Number.isFinite(durationS) || durationS < 1 || durationS > 3600) {
          throw new GoodputError('USAGE', `--duration ${opts.duration}: expected seconds from 1 to 3600`, {
            hint: 'for example --duration 10',
          });
        }
        const { defaultCalibrationPath, writeCalibration } = await import('../host/calibration-store.js');
        const { resolve } = await import('node:path');
        const out =
          opts.out === undefined ? defaultCalibrationPath(ctx.io.env) : resolve(ctx.io.cwd, opts.out);
        if (out === undefined) {
          throw new GoodputError(
            'USAGE',
            'no place to store the calibration: neither XDG_CACHE_HOME nor HOME is set',
            {
              hint: 'pass --out FILE',
            },
          );
        }
        const { runCalibration } = await import('../host/calibration-run.js');
        const { TOOL_VERSION } = await import('./version.js');
        const err = ctx.io.stderr;
        err.write(`calibrating the client against the in-process simulator (≤ ${durationS} s)…\n`);
        const calibration = await runCalibration({
          durationMs: durationS * 1000,
          toolVersion: TOOL_VERSION,
          onLevel(level) {
            const unit = level.kind === 'events' ? 'events/s' : 'req/s';
            const errors = [
              level.ttft_error_p50_ms === undefined
                ? ''
                : `TTFT err p50 ${level.ttft_error_p50_ms.toFixed(2)} ms`,
              level.event_error_p99_ms === undefined
                ? ''
                : `event err p99 ${level.event_error_p99_ms.toFixed(2)} ms`,
              level.dispatch_lag_p99_ms === undefined
                ? ''
                : `dispatch lag p99 ${level.dispatch_lag_p99_ms.toFixed(2)} ms`,
            ].filter((s) => s !== '');
            err.write(
              `  ${level.kind.padEnd(8)} offered ${Math.round(level.offered_per_s)} ${unit}, timed ${Math.round(level.achieved_per_s)}; ` +
                `${errors.join(', ')}; client loop busy ${((level.loop_utilization ?? 0) * 100).toFixed(0)} % → ${level.ok ? 'ok' : `failed (${level.failed.join(', ')})`}\n`,
            );
          },
        });
        writeCalibration(out, calibration);
        if (opts.json === true) ctx.io.stdout.write(`${JSON.stringify(calibration, null, 2)}\n`);
        else {
          ctx.io.stdout.write(
            `client ceiling of one thread on ${calibration.machine}:\n` +
              `  ${Math.round(calibration.max_events_per_s)} output events/s, ${Math.round(calibration.max_requests_per_s)} requests/s ` +
              `(load average ${calibration.load_average?.toFixed(1)} while measuring)\n` +
              `stored in ${out}\n`,
          );
        }
        if (calibration.max_events_per_s === 0 || calibration.max_requests_per_s === 0) {
          err.write(
            'warning: the lowest level already missed the fidelity targets; is the machine busy? try again when it is idle\n',
          );
        }
        ctx.exitCode = 0;
      });
  },
};
