// GET /metrics of the simulator: Prometheus text format 0.0.4 with vLLM's metric names (so a
// client that scrapes vLLM reads the simulator the same way) plus a few goodput_sim: counters.
// Prefix-cache queries and hits are counted in prompt tokens, as vLLM does.

import type { FaultName } from '../core/sim/fault-plan.js';
import type { SchedulerGauges } from '../core/sim/scheduler.js';
import type { SimCounters } from './sim-context.js';

function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

function metric(name: string, type: 'gauge' | 'counter', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) {
    const labels = Object.entries(s.labels ?? {})
      .map(([k, v]) => `${k}="${labelValue(v)}"`)
      .join(',');
    lines.push(`${name}{${labels}} ${s.value}`);
  }
  return lines.join('\n');
}

export function renderPrometheus(model: string, gauges: SchedulerGauges, counters: SimCounters): string {
  const m = { model_name: model };
  const one = (value: number): Sample[] => [{ labels: m, value }];
  const faults = [...counters.faults.entries()] as [FaultName, number][];
  return `${[
    metric(
      'vllm:num_requests_running',
      'gauge',
      'Number of requests in model execution batches.',
      one(gauges.running),
    ),
    metric(
      'vllm:num_requests_waiting',
      'gauge',
      'Number of requests waiting to be processed.',
      one(gauges.waiting),
    ),
    metric(
      'vllm:kv_cache_usage_perc',
      'gauge',
      'KV-cache usage. 1 means 100 percent usage.',
      one(gauges.kvBlocksUsed / gauges.kvCacheBlocks),
    ),
    metric(
      'vllm:prefix_cache_queries_total',
      'counter',
      'Prefix cache queries, in terms of number of queried tokens.',
      one(gauges.prefixQueryTokens),
    ),
    metric(
      'vllm:prefix_cache_hits_total',
      'counter',
      'Prefix cache hits, in terms of number of cached tokens.',
      one(gauges.prefixHitTokens),
    ),
    metric(
      'vllm:prompt_tokens_total',
      'counter',
      'Number of prefill tokens processed.',
      one(gauges.promptTokens),
    ),
    metric(
      'vllm:generation_tokens_total',
      'counter',
      'Number of generation tokens processed.',
      one(gauges.generationTokens),
    ),
    metric('vllm:request_success_total', 'counter', 'Count of successfully processed requests.', [
      { labels: { ...m, finished_reason: 'stop' }, value: counters.finished.stop },
      { labels: { ...m, finished_reason: 'length' }, value: counters.finished.length },
    ]),
    metric('goodput_sim:requests_total', 'counter', 'Completion requests received.', one(counters.requests)),
    metric(
      'goodput_sim:requests_rejected_total',
      'counter',
      'Completion requests answered 4xx/5xx.',
      one(counters.rejected),
    ),
    metric(
      'goodput_sim:requests_aborted_total',
      'counter',
      'Generations cut short (client gone, reset, error).',
      one(counters.aborted),
    ),
    metric('goodput_sim:steps_total', 'counter', 'Engine steps run.', one(gauges.steps)),
    metric(
      'goodput_sim:faults_injected_total',
      'counter',
      'Faults that took effect, by name.',
      faults.map(([fault, value]) => ({ labels: { ...m, fault }, value })),
    ),
  ].join('\n')}\n`;
}
