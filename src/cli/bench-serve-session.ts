// One bench-serve invocation from validated options to files: start the simulator when there is
// no --base-url, probe the server, load tokenizer, dataset and env, run the benchmark while the
// run directory is written as it goes, then report.json, the ferrum-style --output, the console
// summary, and run-finalize's report.md, report.html and ledger entry. Returns what the error policy needs.

import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { probeServer, type ServerProbe } from '../client/readiness.js';
import { RunControl } from '../client/run-control.js';
import { runServeBenchmark, type ServeBenchmarkResult } from '../client/serve-benchmark.js';
import type { ServerAddress } from '../client/target.js';
import { WorkerPool } from '../client/worker-pool.js';
import { autoWorkers } from '../core/client-health/auto-workers.js';
import { prepareDataset } from '../core/dataset/build-dataset.js';
import { serializeSchedule } from '../core/schedule/schedule-file.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { createRunEnvelope, type RunEnvelope } from '../core/schema/run-envelope.js';
import { loadCalibration } from '../host/calibration-store.js';
import { captureEnv } from '../host/env-capture.js';
import { appendJsonl, ferrumJson, writeDocument } from '../output/ferrum-output.js';
import { defaultRunDir, timestampName } from '../output/run-dir-name.js';
import { RunDirectory } from '../output/run-directory.js';
import { openTraceWriter, type TraceWriter } from '../output/trace-writer.js';
import { renderSingle, renderSweep } from '../render/markdown.js';
import { renderTerminal } from '../render/terminal.js';
import { type SpawnedSimulator, spawnSimulator } from '../server/spawn-simulator.js';
import { loadTokenizer } from '../tokenizer/load-tokenizer.js';
import { serveCells } from './bench-serve-cells.js';
import { BenchServeConsole, cellLabel } from './bench-serve-console.js';
import { readDatasetFile } from './bench-serve-dataset-file.js';
import { serveExtension } from './bench-serve-extension.js';
import type { BenchServeOptions } from './bench-serve-options.js';
import { withPrefixGroups } from './bench-serve-prefix-sweep.js';
import { redactArgv } from './bench-serve-redaction.js';
import { annotateSweep } from './bench-serve-sweep.js';
import { resolveModel, rootHeaders, targetConfig } from './bench-serve-target.js';
import type { CliIo } from './io.js';
import { finalizeRun, stampComparability } from './run-finalize.js';
import { TOOL_VERSION } from './version.js';

// the pieces this session was split into, under the names their importers (shards, tests) use
export { serveCells } from './bench-serve-cells.js';
export { readDatasetFile } from './bench-serve-dataset-file.js';
export { redactArgv, redactServerArgs, redactServerEnv } from './bench-serve-redaction.js';
export { resolveModel, rootHeaders, targetConfig } from './bench-serve-target.js';

/** After Ctrl-C, in-flight requests get this long before they are aborted (a second Ctrl-C: at once). */
export const INTERRUPT_GRACE_MS = 10_000;

export interface SessionResult {
  readonly reports: BenchReport[];
  readonly interrupted: boolean;
  readonly runDir: string;
  readonly model: string;
}

/** Runs one invocation. `argv` is the full command line (recorded with secrets removed). */
export async function runBenchServeSession(
  options: BenchServeOptions,
  io: CliIo,
  argv: readonly string[],
): Promise<SessionResult> {
  const con = new BenchServeConsole(io);
  const control = new RunControl();
  const removeInterrupt = io.onInterrupt(() => {
    if (control.stopped) {
      con.warn('interrupted again: aborting the requests in flight');
      control.hurry();
      return;
    }
    con.warn(
      `interrupted: no new requests; waiting up to ${INTERRUPT_GRACE_MS / 1000} s for the ones in flight`,
    );
    control.stop('interrupted (SIGINT)');
  });
  let sim: SpawnedSimulator | undefined;
  let workers: WorkerPool | undefined;
  let trace: TraceWriter | undefined;
  let runDir: RunDirectory | undefined;
  try {
    // the files first: a bad dataset or tokenizer file, or an --out-dir that cannot be written,
    // stops the run before any server is started or waited for (only `--tokenizer server` needs
    // the server, so it is loaded after the probe)
    const dataset = prepareDataset(options.dataset, await readDatasetFile(options));
    if (options.outDir !== undefined) RunDirectory.check(options.outDir);
    const localTokenizer =
      options.tokenizer === 'server' ? undefined : await loadTokenizer(options.tokenizer);
    // the target: the user's server, or the built-in simulator on a free loopback port
    let address: ServerAddress;
    if (options.address === undefined) {
      sim = await spawnSimulator({
        ...(options.simPreset === undefined ? {} : { preset: options.simPreset }),
        ...(options.simFaults === undefined ? {} : { faults: options.simFaults }),
        ...(options.simProfile === undefined ? {} : { profile: options.simProfile }),
        ...(options.model === undefined ? {} : { model: options.model }),
        seed: options.seed,
      });
      address = { origin: new URL(sim.url).origin, prefix: '', display: sim.url };
      con.dim(`started the built-in simulator (preset ${options.simPreset}) at ${sim.url}, pid ${sim.pid}`);
    } else address = options.address;
    const probeHeaders = rootHeaders(options);
    const abortProbe = new AbortController();
    const offProbe = control.onStop(() => abortProbe.abort());
    let probe: ServerProbe;
    try {
      probe = await probeServer(address, {
        timeoutMs: options.readyTimeoutMs,
        headers: probeHeaders,
        signal: abortProbe.signal,
        onWaiting: (tried) =>
          con.dim(
            `waiting up to ${Math.round(options.readyTimeoutMs / 1000)} s (--ready-timeout) for ${address.display} to answer; so far: ${tried}`,
          ),
      });
    } finally {
      offProbe();
    }
    const { model, reportModel } = resolveModel(options, address, probe);

    const tokenizer =
      localTokenizer ??
      (await loadTokenizer(options.tokenizer, {
        baseUrl: `${address.origin}${address.prefix}`,
        model,
        headers: probeHeaders,
      }));
    const env = await captureEnv({
      cwd: io.cwd,
      env: io.env,
      ...(options.commitSha === undefined ? {} : { commitSha: options.commitSha }),
      ...(options.hwId === undefined ? {} : { hwId: options.hwId }),
    });

    const startedAt = new Date();
    const label = options.label ?? (sim === undefined ? model : 'sim');
    runDir = RunDirectory.create(options.outDir ?? defaultRunDir(io.cwd, label, startedAt));
    const runId = `${timestampName(startedAt)}-${randomBytes(3).toString('hex')}`;
    const commandLine = redactArgv(argv);
    if (options.traceOut !== undefined) {
      trace = openTraceWriter(options.traceOut, {
        originMs: performance.now(),
        processName: `goodput bench-serve · ${label}`,
      });
    }
    const cells = withPrefixGroups(serveCells(options), options.cells, dataset);
    // this machine's client ceiling: stamped on every cell, and what --workers auto goes by
    const calibrated = loadCalibration(options.calibration, io.env);
    if (calibrated.note !== undefined) con.warn(calibrated.note);
    const calibration = calibrated.calibration;
    const threads = workerThreads(options, calibration, (line) => con.dim(line));
    if (threads > 1) workers = WorkerPool.start(threads);
    const extension = serveExtension(options, {
      runId,
      label,
      commandLine,
      dataset,
      tokenizerName: tokenizer.name,
      address,
      probe,
      builtInSimulator: sim !== undefined,
    });
    if (options.nRepeats < 3) con.warn('n_repeats < 3 — emitting mean only, no stddev/CI95 (PLAYBOOK § 0.4)');
    con.dim(
      `goodput bench-serve — ${address.display} model=${model} dataset=${options.dataset.kind} num_prompts=${options.numPrompts} warmup=${options.warmupRequests} n_repeats=${options.nRepeats} → ${runDir.dir}`,
    );

    const finished: BenchReport[] = [];
    const meta = (interrupted: boolean) => ({
      tool_version: TOOL_VERSION,
      run_id: runId,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      command_line: commandLine,
      ...(interrupted ? { interrupted: true } : {}),
    });
    const envelope = (cellsDone: readonly BenchReport[], interrupted: boolean): RunEnvelope =>
      createRunEnvelope(meta(interrupted), cellsDone);
    const dir = runDir;
    const tw = trace;
    let lastCell = -1;
    const result: ServeBenchmarkResult = await runServeBenchmark(
      {
        ...targetConfig(options, address, model, probe, probeHeaders),
        dataset,
        measure: tokenizer,
        cells,
        numPrompts: options.numPrompts,
        ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
        nRepeats: options.nRepeats,
        warmupRequests: options.warmupRequests,
        ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
        interleave: options.interleave,
        seed: options.seed,
        graceMs: INTERRUPT_GRACE_MS,
        ...(workers === undefined ? {} : { executor: workers }),
        ...(calibration === undefined ? {} : { calibration }),
        report: {
          model: reportModel,
          backend: sim === undefined ? 'http' : 'sim',
          slo: options.slo,
          env,
          successPolicy: { requireDone: options.requireDone },
          ...(options.dataset.kind === 'random' ? { nPrompt: options.dataset.inputLen } : {}),
          ...(options.dataset.kind === 'shared-prefix'
            ? { nPrompt: options.dataset.prefixLen + options.dataset.suffixLen }
            : {}),
          nGen: options.dataset.outputLen,
          extension,
        },
      },
      {
        onRecord(record, success) {
          dir.appendRequest(record);
          tw?.requestSpan(record);
          con.record(record, success);
        },
        onRepeatStart(info) {
          if (info.cell.index !== lastCell) {
            lastCell = info.cell.index;
            con.cellStart(info.cell, options.nRepeats);
          }
          con.repeatStart(info);
        },
        onRepeatEnd(info) {
          con.repeatEnd(info);
        },
        onCell(report, cell) {
          const client = report.goodput?.client;
          if (client?.client_limited === true) {
            con.warn(`client-limited: ${cellLabel(cell)}: ${client.reasons.join('; ')}`);
          }
          stampComparability(report);
          finished.push(report);
          dir.appendCell(report);
          dir.writeReport(envelope(finished, false));
          if (options.output === 'jsonl') {
            const note = appendJsonl(options.out as string, [report]).note;
            if (note !== undefined) con.line(note);
          }
        },
        onWarning(text) {
          con.warn(text);
        },
      },
      control,
    );
    con.stop();

    // final files: knee / best rate across the sweep, report.json, --output, schedule; the summary;
    // then report.md, report.html and the ledger entry (run-finalize), after every result file
    const reports = annotateSweep(result.reports, options.cells);
    dir.writeReport(envelope(reports, result.interrupted));
    dir.sync();
    let stdoutTaken = false;
    if (options.output !== undefined && options.output !== 'jsonl' && reports.length > 0) {
      const doc =
        options.output === 'json'
          ? ferrumJson(reports)
          : reports.length === 1
            ? renderSingle(reports[0] as BenchReport)
            : renderSweep(reports);
      const written = writeDocument(doc, options.out);
      if (written.stdout !== undefined) {
        io.stdout.write(written.stdout);
        stdoutTaken = true;
      }
      if (written.note !== undefined) con.line(written.note);
    }
    if (options.scheduleOut !== undefined) {
      const schedule = result.schedules.get(cells.findIndex((c) => c.load.kind === 'open'));
      if (schedule !== undefined) {
        dir.writeFile('schedule.json', serializeSchedule(schedule));
        writeDocument(serializeSchedule(schedule), options.scheduleOut);
        con.line(`→ wrote schedule ${options.scheduleOut}`);
      }
    }
    if (reports.length > 0) {
      const summary = renderTerminal(reports, {
        color: stdoutTaken ? io.color : io.color && io.stdout.isTTY,
      });
      if (stdoutTaken) io.stderr.write(summary);
      else io.stdout.write(summary);
    }
    await finalizeRun(
      { dir, reports, source: 'bench-serve', label, db: options.db, dbRequests: options.dbRequests },
      (line) => con.dim(line),
    );
    con.line(`→ results in ${dir.dir}`);
    if (result.interrupted) {
      const missing = cells
        .filter((c) => !reports.some((r) => r.goodput?.cell_key === c.key))
        .map((c) => cellLabel(c));
      con.warn(`the run was interrupted; cells not completed: ${missing.join(', ') || 'none'}`);
    }
    return { reports, interrupted: result.interrupted, runDir: dir.dir, model: reportModel };
  } finally {
    removeInterrupt();
    con.stop();
    runDir?.close();
    trace?.close();
    await workers?.close();
    await sim?.stop();
  }
}

/** Threads that send the load: --workers n, or with auto what this machine's calibration needs. */
function workerThreads(
  options: BenchServeOptions,
  calibration: Parameters<typeof autoWorkers>[1],
  note: (line: string) => void,
): number {
  if (options.workers !== 'auto') return options.workers;
  const rates = options.cells.flatMap((c) => (c.kind === 'open' ? [c.rateRps] : []));
  const choice = autoWorkers(
    {
      ...(rates.length === 0 ? {} : { rateRps: Math.max(...rates) }),
      outputTokens: options.dataset.outputLen,
    },
    calibration,
    availableParallelism(),
  );
  if (choice.workers > 1) note(`--workers auto: ${choice.workers} threads (${choice.reason})`);
  return choice.workers;
}
