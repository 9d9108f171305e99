// One bench-serve invocation from validated options to files: start the simulator when there is
// no --base-url, probe the server, load tokenizer, dataset and env, run the benchmark while the
// run directory is written as it goes, then the final report files, the ferrum-style --output,
// the ledger entry and the console summary. Returns what the error policy needs.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { probeServer, type ServerProbe } from '../client/readiness.js';
import { RunControl } from '../client/run-control.js';
import {
  runServeBenchmark,
  type ServeBenchmarkConfig,
  type ServeBenchmarkResult,
  type ServeCell,
} from '../client/serve-benchmark.js';
import { endpointPath, redactHeaderArg, requestHeaders, type ServerAddress } from '../client/target.js';
import { WorkerPool } from '../client/worker-pool.js';
import { autoWorkers } from '../core/client-health/auto-workers.js';
import { type DatasetFile, openDatasetReader, prepareDataset } from '../core/dataset/build-dataset.js';
import { datasetIdentity } from '../core/dataset/dataset-identity.js';
import { comparabilityHash, comparabilityKey, provenanceOf } from '../core/env/comparability.js';
import { GoodputError } from '../core/errors.js';
import { serializeSchedule } from '../core/schedule/schedule-file.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import type { GoodputExtension } from '../core/schema/extension.js';
import { createRunEnvelope, type RunEnvelope } from '../core/schema/run-envelope.js';
import { loadCalibration } from '../host/calibration-store.js';
import { captureEnv } from '../host/env-capture.js';
import { appendJsonl, ferrumJson, writeDocument } from '../output/ferrum-output.js';
import { RUN_FILES, RunDirectory } from '../output/run-directory.js';
import { openTraceWriter, type TraceWriter } from '../output/trace-writer.js';
import { renderHtmlReport } from '../render/html/report-page.js';
import { renderSingle, renderSweep } from '../render/markdown.js';
import { renderTerminal } from '../render/terminal.js';
import { type SpawnedSimulator, spawnSimulator } from '../server/spawn-simulator.js';
import { openLedger } from '../store/ledger.js';
import { loadTokenizer } from '../tokenizer/load-tokenizer.js';
import { BenchServeConsole, cellLabel } from './bench-serve-console.js';
import { type BenchServeOptions, type CellFlag, splitArgs } from './bench-serve-options.js';
import { withPrefixGroups } from './bench-serve-prefix-sweep.js';
import { annotateSweep } from './bench-serve-sweep.js';
import type { CliIo } from './io.js';
import { sampleRequestFiles } from './report-visual.js';
import { TOOL_VERSION } from './version.js';

/** After Ctrl-C, in-flight requests get this long before they are aborted (a second Ctrl-C: at once). */
export const INTERRUPT_GRACE_MS = 10_000;

export interface SessionResult {
  readonly reports: BenchReport[];
  readonly interrupted: boolean;
  readonly runDir: string;
  readonly model: string;
}

/** The command line as it may be recorded: header values that look secret are redacted. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--header' && i + 1 < argv.length) {
      out.push(a, redactHeaderArg(argv[++i] as string));
    } else if (a.startsWith('--header='))
      out.push(`--header=${redactHeaderArg(a.slice('--header='.length))}`);
    else if (a === '--server-env' && i + 1 < argv.length) out.push(a, redactKeyValue(argv[++i] as string));
    else if (a === '--server-args' && i + 1 < argv.length)
      out.push(a, redactServerArgs(splitArgs(argv[++i] as string)).join(' '));
    else out.push(a);
  }
  return out;
}

const SECRET_NAME = /auth|key|token|secret|password|credential/i;

function redactKeyValue(kv: string): string {
  const eq = kv.indexOf('=');
  return eq > 0 && SECRET_NAME.test(kv.slice(0, eq)) ? `${kv.slice(0, eq)}=<redacted>` : kv;
}

/** `--server-env` as recorded: values of secret-looking variables replaced. */
export function redactServerEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, SECRET_NAME.test(k) ? '<redacted>' : v]));
}

/** `--server-args` as recorded: the value after (or in) a secret-looking flag replaced (`--api-key X`). */
export function redactServerArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    if (a.startsWith('-') && SECRET_NAME.test(eq === -1 ? a : a.slice(0, eq))) {
      if (eq !== -1) out.push(`${a.slice(0, eq)}=<redacted>`);
      else {
        out.push(a);
        if (i + 1 < args.length && !(args[i + 1] as string).startsWith('-')) {
          out.push('<redacted>');
          i++;
        }
      }
    } else out.push(a);
  }
  return out;
}

/** Headers for the server root (readiness probe, /tokenize, /metrics): the user's, plus the API key. */
export function rootHeaders(options: BenchServeOptions): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}

/** The model to request (--model, else the server's first) and the report's model (with #tag). */
export function resolveModel(
  options: BenchServeOptions,
  address: ServerAddress,
  probe: ServerProbe,
): { model: string; reportModel: string } {
  const model = options.model ?? probe.models[0];
  if (model === undefined) {
    throw new GoodputError('SERVER_INCOMPATIBLE', `${address.display} lists no model at /v1/models`, {
      hint: 'pass --model NAME',
    });
  }
  return { model, reportModel: options.tag === undefined ? model : `${model}#${options.tag}` };
}

/** The target half of a ServeBenchmarkConfig: where requests go and what they carry (one place for
 * a whole run and for a shard). */
export function targetConfig(
  options: BenchServeOptions,
  address: ServerAddress,
  model: string,
  probe: ServerProbe,
  rootHeaders: Record<string, string>,
): Pick<
  ServeBenchmarkConfig,
  'origin' | 'path' | 'headers' | 'body' | 'timeoutMs' | 'preconnectPath' | 'serverRoot' | 'rootHeaders'
> {
  return {
    origin: address.origin,
    path: endpointPath(address, options.endpoint),
    headers: requestHeaders(options.headers, options.apiKey),
    body: {
      endpoint: options.endpoint,
      model,
      ...(options.enableThinking === undefined ? {} : { enableThinking: options.enableThinking }),
      ignoreEos: options.ignoreEos,
      ...(options.extraBody === undefined ? {} : { extraBody: options.extraBody }),
    },
    timeoutMs: options.timeoutMs,
    preconnectPath: probe.readyPath,
    serverRoot: `${address.origin}${address.prefix}`,
    rootHeaders,
  };
}

function cellKey(flag: CellFlag): string {
  if (flag.kind === 'closed') return `closed:c=${flag.concurrency}`;
  if (flag.replay !== undefined) return `open:replay:n=${flag.replay.offsets_ms.length}`;
  const b = flag.burstiness === 1 ? '' : `:b=${flag.burstiness}`;
  const cap = flag.maxConcurrency === undefined ? '' : `:cap=${flag.maxConcurrency}`;
  return `open:rate=${flag.rateRps}${b}${cap}`;
}

/** The serve cells of the flags, keyed as the prompts and schedules derive from them. */
export function serveCells(options: BenchServeOptions): ServeCell[] {
  const sharedPrefix = options.dataset.kind === 'shared-prefix';
  return options.cells.map((flag, index) => ({
    index,
    key: cellKey(flag),
    scenario: sharedPrefix ? 'shared_prefix' : flag.kind === 'closed' ? 'closed_loop' : 'open_loop',
    load:
      flag.kind === 'closed'
        ? { kind: 'closed', concurrency: flag.concurrency }
        : {
            kind: 'open',
            rateRps: flag.rateRps,
            ...(flag.replay === undefined
              ? {
                  profile:
                    flag.burstiness === 1
                      ? { kind: 'poisson', rateRps: flag.rateRps }
                      : { kind: 'gamma', rateRps: flag.rateRps, burstiness: flag.burstiness },
                }
              : { replay: flag.replay }),
            ...(flag.maxConcurrency === undefined ? {} : { maxConcurrency: flag.maxConcurrency }),
          },
  }));
}

function timestampName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function defaultRunDir(cwd: string, label: string, now: Date): string {
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'run';
  const base = join(cwd, 'goodput-results', `${timestampName(now)}-${safe}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

/** Streams a file dataset (sharegpt, jsonl) into its reader; undefined for generated ones. */
export async function readDatasetFile(options: BenchServeOptions): Promise<DatasetFile | undefined> {
  const spec = options.dataset;
  if (spec.kind !== 'sharegpt' && spec.kind !== 'jsonl') return undefined;
  const reader = openDatasetReader(spec, basename(spec.path));
  if (reader === undefined) return undefined;
  try {
    for await (const chunk of createReadStream(spec.path, { encoding: 'utf8' })) reader.push(chunk as string);
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `--dataset-path ${spec.path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return reader.finish();
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
      });
    } finally {
      offProbe();
    }
    const { model, reportModel } = resolveModel(options, address, probe);

    const tokenizer = await loadTokenizer(options.tokenizer, {
      baseUrl: `${address.origin}${address.prefix}`,
      model,
      headers: probeHeaders,
    });
    const dataset = prepareDataset(options.dataset, await readDatasetFile(options));
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
    let threads: number;
    if (options.workers === 'auto') {
      const rates = options.cells.flatMap((c) => (c.kind === 'open' ? [c.rateRps] : []));
      const choice = autoWorkers(
        {
          ...(rates.length === 0 ? {} : { rateRps: Math.max(...rates) }),
          outputTokens: options.dataset.outputLen,
        },
        calibration,
        availableParallelism(),
      );
      threads = choice.workers;
      if (threads > 1) con.dim(`--workers auto: ${threads} threads (${choice.reason})`);
    } else threads = options.workers;
    if (threads > 1) workers = WorkerPool.start(threads);
    const extension: Partial<GoodputExtension> = {
      tool_version: TOOL_VERSION,
      run_id: runId,
      label,
      command_line: commandLine,
      dataset: { ...datasetIdentity(dataset, { seed: options.seed, tokenizerName: tokenizer.name }) },
      warmup_policy: {
        mode: options.warmupMs === undefined ? 'requests' : 'requests_and_seconds',
        requests: options.warmupRequests,
        ...(options.warmupMs === undefined ? {} : { seconds: options.warmupMs / 1000 }),
        shape: 'the cell’s own load (same concurrency or arrival process)',
        on_error: options.warmupErrorsFail ? 'fail' : 'warn',
        excluded_from_metrics: true,
      },
      server: {
        base_url: address.display,
        models: probe.models,
        ...(probe.version === undefined ? {} : { version: probe.version }),
        ...(probe.serverHeader === undefined ? {} : { server_header: probe.serverHeader }),
        ...(options.serverArgs === undefined ? {} : { server_args: redactServerArgs(options.serverArgs) }),
        ...(Object.keys(options.serverEnv).length === 0
          ? {}
          : { server_env: redactServerEnv(options.serverEnv) }),
        ...(sim === undefined
          ? {}
          : {
              simulator: {
                preset: options.simPreset,
                faults: options.simFaults ?? '',
                ...(options.simProfile === undefined ? {} : { profile_overrides: options.simProfile }),
              },
            }),
      },
    };
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
          withComparability(report);
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

    // final files: knee / best rate across the sweep, report.json, report.md, --output, schedule
    const reports = annotateSweep(result.reports, options.cells);
    dir.writeReport(envelope(reports, result.interrupted));
    if (reports.length > 0) {
      const markdown = reports.length === 1 ? renderSingle(reports[0] as BenchReport) : renderSweep(reports);
      dir.writeFile(RUN_FILES.markdown, markdown);
      // requests.jsonl is complete on disk: the page's request charts sample it as `goodput report` does
      dir.sync();
      const sample = sampleRequestFiles([dir.path(RUN_FILES.requests)]);
      const html = await renderHtmlReport({
        cells: reports,
        requests: sample.records,
        requestsTotal: sample.total,
        sources: [dir.dir],
        generatedAt: new Date().toISOString(),
      });
      dir.writeFile(RUN_FILES.html, html);
    }
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
    if (options.db !== undefined && reports.length > 0) {
      const ledger = openLedger(options.db);
      try {
        const stored = ledger.recordRun({
          uid: runId,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          commandLine,
          toolVersion: TOOL_VERSION,
          label,
          source: 'bench-serve',
          sourcePath: dir.dir,
          cells: reports,
        });
        con.dim(`recorded run ${stored.id} in ${options.db}`);
      } finally {
        ledger.close();
      }
    }
    if (reports.length > 0) {
      const summary = renderTerminal(reports, {
        color: stdoutTaken ? io.color : io.color && io.stdout.isTTY,
      });
      if (stdoutTaken) io.stderr.write(summary);
      else io.stdout.write(summary);
    }
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

/** The extension's comparability key and provenance, computed from the finished report. */
function withComparability(report: BenchReport): void {
  const ext = report.goodput;
  if (ext === undefined) return;
  ext.comparability = {
    key: comparabilityKey(report) as unknown as Record<string, unknown>,
    hash: comparabilityHash(report),
  };
  ext.provenance = provenanceOf(report);
}
