// The contract between `goodput bench` and an engine called in process (SPEC §8.1, documented in
// docs/engine-adapter.md): the built-in simulator engine, node-llama-cpp, or any user module whose
// default export is an EngineAdapter (or a function returning one). Token counts come from the
// engine's stream: one yielded chunk is one token unless it says otherwise.

/** One piece of the engine's output stream. */
export interface EngineChunk {
  /**
   * tokens this chunk carries (default 1). A chunk of n > 1 tokens counts as n tokens that
   * arrived together: n events at one time, so the ITL shows the zero gaps the engine produced.
   * 0 is allowed (a keep-alive); negative or fractional values fail the request.
   */
  readonly tokens?: number;
  /** why generation ended, on the last chunk ("stop", "length"…); inferred when absent */
  readonly finishReason?: string;
  /** the decoded text of the chunk: shown by `--show-output`, never used to count tokens */
  readonly text?: string;
}

/** What one request asks of the engine. */
export interface GenerateOptions {
  /** generate at most this many tokens */
  readonly maxTokens: number;
  /** sampling seed of the run (engines that sample must give the same tokens for the same seed) */
  readonly seed: number;
  /** sampling temperature; 0 is greedy decoding (ferrum's bench) */
  readonly temperature: number;
  /** aborted when the user interrupts the run: stop generating and return or throw */
  readonly signal: AbortSignal;
  /** the worker running this request, 0 ≤ worker < concurrency (one stream slot per worker) */
  readonly worker: number;
}

/** What the engine is told before anything is timed. */
export interface EnginePlan {
  /** number of requests that will run at once */
  readonly concurrency: number;
  readonly maxTokens: number;
  /** every prompt the run will send */
  readonly prompts: readonly string[];
}

export interface EngineAdapter {
  /** the engine's name; the report's `model` unless the engine reports a model name */
  readonly name: string;
  /** the report's backend label ("cpu", "sim", "cuda(0)"…); "custom" when absent */
  readonly backend?: string;
  /** the model the engine runs, for the report (defaults to `name`) */
  readonly model?: string;
  /** load models, size contexts for `plan.concurrency` streams, reject a plan that cannot run */
  open?(plan: EnginePlan): Promise<void> | void;
  /** prompt tokens as the engine counts them (recorded as input tokens); 0 when absent */
  countTokens?(prompt: string): number | Promise<number>;
  /** streams the output of one request; the clock starts before this is called */
  generate(prompt: string, options: GenerateOptions): AsyncIterable<EngineChunk>;
  /** releases what open() took */
  close?(): Promise<void> | void;
}
