// A real llama.cpp engine on CPU through node-llama-cpp (`goodput bench --engine llama
// --model-path FILE.gguf`). node-llama-cpp is an optional dependency, imported only here and only
// when this engine opens; it uses the installed prebuilt CPU binary and never downloads or builds.
// One context sequence per worker; one yielded chunk per generated token.

import { basename } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { EngineAdapter, EngineChunk, EnginePlan, GenerateOptions } from './engine-adapter.js';

export interface LlamaEngineOptions {
  readonly modelPath: string;
  /** CPU threads for evaluation; node-llama-cpp's default (all cores) when absent */
  readonly threads?: number;
}

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;
type LlamaSequence = ReturnType<LlamaContext['getSequence']>;
type Token = import('node-llama-cpp').Token;

async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return await import('node-llama-cpp');
  } catch (e) {
    throw new GoodputError(
      'ENGINE',
      `--engine llama needs the optional package node-llama-cpp: ${(e as Error).message}`,
      {
        hint: 'install it (npm install node-llama-cpp), or use --engine sim',
      },
    );
  }
}

/** The llama.cpp binding, loaded once per process (loading takes about a second) and kept. */
let llamaBinding: Promise<Llama> | undefined;

async function loadLlama(): Promise<Llama> {
  const lib = await importNodeLlamaCpp();
  llamaBinding ??= lib
    .getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: lib.LlamaLogLevel.error,
    })
    .catch((e: unknown) => {
      llamaBinding = undefined;
      throw new GoodputError('ENGINE', `node-llama-cpp has no usable CPU binary: ${(e as Error).message}`, {
        hint: 'goodput never builds llama.cpp; reinstall node-llama-cpp so its prebuilt binary for this platform is present',
      });
    });
  return llamaBinding;
}

export function createLlamaEngine(options: LlamaEngineOptions): EngineAdapter {
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  let sequences: LlamaSequence[] = [];

  const engine: EngineAdapter = {
    name: 'llama.cpp',
    backend: 'cpu',
    model: basename(options.modelPath).replace(/\.gguf$/i, ''),
    async open(plan: EnginePlan) {
      const llama = await loadLlama();
      try {
        model = await llama.loadModel({ modelPath: options.modelPath });
      } catch (e) {
        throw new GoodputError(
          'ENGINE',
          `--model-path ${options.modelPath}: llama.cpp cannot load it: ${(e as Error).message}`,
          {
            hint: 'pass a GGUF file llama.cpp supports, e.g. one from goodput make-tiny-gguf',
          },
        );
      }
      const loaded = model;
      let longestPrompt = 0;
      for (const prompt of new Set(plan.prompts))
        longestPrompt = Math.max(longestPrompt, loaded.tokenize(prompt).length);
      const needed = longestPrompt + plan.maxTokens;
      if (needed > loaded.trainContextSize) {
        throw new GoodputError(
          'USAGE',
          `--max-tokens ${plan.maxTokens}: the prompt (${longestPrompt} tokens) plus the output need ${needed} tokens, more than the model's ${loaded.trainContextSize}-token context`,
          { hint: 'lower --max-tokens or shorten --prompt' },
        );
      }
      try {
        context = await loaded.createContext({
          contextSize: needed,
          sequences: plan.concurrency,
          ...(options.threads === undefined ? {} : { threads: options.threads }),
        });
      } catch (e) {
        throw new GoodputError(
          'ENGINE',
          `cannot create a llama.cpp context for ${plan.concurrency} sequence(s): ${(e as Error).message}`,
          {
            hint: 'lower --concurrency or --max-tokens',
          },
        );
      }
      const ctx = context;
      sequences = Array.from({ length: plan.concurrency }, () => ctx.getSequence());
    },
    countTokens(prompt) {
      if (!model) throw new GoodputError('INTERNAL', 'llama engine: countTokens() before open()');
      return model.tokenize(prompt).length;
    },
    generate(prompt: string, opts: GenerateOptions): AsyncIterable<EngineChunk> {
      const seq = sequences[opts.worker];
      const m = model;
      if (!seq || !m)
        throw new GoodputError('INTERNAL', `llama engine: no sequence for worker ${opts.worker}`);
      return (async function* stream() {
        if (seq.nextTokenIndex > 0) await seq.clearHistory();
        let generated = 0;
        const previous: Token[] = [];
        try {
          const tokens = m.tokenize(prompt);
          const evaluation = seq.evaluate(tokens, {
            temperature: opts.temperature,
            ...(opts.temperature > 0 ? { seed: opts.seed } : {}),
          });
          for await (const token of evaluation) {
            if (m.isEogToken(token)) {
              yield { tokens: 0, finishReason: 'stop' };
              return;
            }
            generated++;
            // the last few tokens let the detokenizer continue words and multi-byte characters
            const text = m.detokenize([token], false, previous);
            previous.push(token);
            if (previous.length > 8) previous.shift();
            yield generated >= opts.maxTokens
              ? { tokens: 1, text, finishReason: 'length' }
              : { tokens: 1, text };
            if (generated >= opts.maxTokens || opts.signal.aborted) return;
          }
        } finally {
          // outside the timed window of the next request: the sequence starts empty again
          await seq.clearHistory();
        }
      })();
    },
    async close() {
      await context?.dispose();
      await model?.dispose();
      sequences = [];
    },
  };
  return engine;
}
