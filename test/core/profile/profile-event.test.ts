import { describe, expect, it } from 'vitest';
import {
  defaultProfileMetadata,
  nativeProfileEvent,
  ProfileEventError,
  parseProfileEventValue,
  serializeProfileEvent,
  serializeProfileMetadata,
} from '../../../src/core/profile/profile-event.js';

const VALID = {
  event: 'iter_prof',
  commit_sha: null,
  env_hash: 'sha256:unknown',
  model: 'm',
  concurrency: 1,
  shape: {},
  stage_us: {},
  graph_enabled: false,
  runtime_flags: {},
};

describe('ProfileEvent golden vectors (ferrum-behaviour A.6)', () => {
  it('default metadata serialises byte for byte', () => {
    expect(serializeProfileMetadata(defaultProfileMetadata())).toBe(
      '{"commit_sha":null,"env_hash":"sha256:unknown","model":"unknown","concurrency":1,"runtime_flags":{}}',
    );
  });

  it('a native event serialises byte for byte, with sorted shape and stage_us', () => {
    const e = nativeProfileEvent(
      defaultProfileMetadata(),
      'iter_prof',
      { iter: 64, batch_size: 4 },
      { total: 1200, sched: 50, process: 1150 },
      false,
    );
    expect(serializeProfileEvent(e)).toBe(
      '{"event":"iter_prof","commit_sha":null,"env_hash":"sha256:unknown","model":"unknown","concurrency":1,"shape":{"batch_size":4,"iter":64},"stage_us":{"process":1150,"sched":50,"total":1200},"graph_enabled":false,"runtime_flags":{},"source":"native"}',
    );
  });

  it('goodput write stamps follow ferrum keys, so the ferrum prefix is unchanged', () => {
    const e = nativeProfileEvent(defaultProfileMetadata(), 'x', {}, { a: 1.5 }, true);
    const line = serializeProfileEvent(e, { schema_version: 1, ts_unix_ms: 1700000000000, pid: 42, seq: 3 });
    expect(line).toBe(
      '{"event":"x","commit_sha":null,"env_hash":"sha256:unknown","model":"unknown","concurrency":1,"shape":{},"stage_us":{"a":1.5},"graph_enabled":true,"runtime_flags":{},"source":"native","schema_version":1,"ts_unix_ms":1700000000000,"pid":42,"seq":3}',
    );
    // and reads back as the same event (extra keys accepted)
    expect(parseProfileEventValue(JSON.parse(line))).toEqual(e);
  });

  it('a native event is validated before it is built', () => {
    expect(() => nativeProfileEvent({ ...defaultProfileMetadata(), model: ' ' }, 'x', {}, {}, false)).toThrow(
      'model must be non-empty',
    );
  });
});

describe('parseProfileEventValue messages', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [1], 'profile event must be a JSON object'],
    ['missing key, first in ferrum order', { event: 'x', model: 'm' }, 'missing required field: commit_sha'],
    ['blank event', { ...VALID, event: ' \t' }, 'event must be non-empty'],
    ['blank commit', { ...VALID, commit_sha: '  ' }, 'commit_sha must be non-empty when present'],
    ['env hash prefix', { ...VALID, env_hash: 'md5:x' }, 'env_hash must start with sha256:'],
    ['blank model', { ...VALID, model: '' }, 'model must be non-empty'],
    ['zero concurrency', { ...VALID, concurrency: 0 }, 'concurrency must be > 0'],
    [
      'negative concurrency',
      { ...VALID, concurrency: -1 },
      'invalid profile event: invalid value: integer `-1`, expected u32',
    ],
    [
      'huge concurrency',
      { ...VALID, concurrency: 4294967296 },
      'invalid profile event: invalid value: integer `4294967296`, expected u32',
    ],
    [
      'fractional concurrency',
      { ...VALID, concurrency: 1.5 },
      'invalid profile event: invalid type: floating point `1.5`, expected u32',
    ],
    [
      'string concurrency',
      { ...VALID, concurrency: '2' },
      'invalid profile event: invalid type: string "2", expected u32',
    ],
    [
      'numeric event',
      { ...VALID, event: 5 },
      'invalid profile event: invalid type: integer `5`, expected a string',
    ],
    ['null model', { ...VALID, model: null }, 'invalid profile event: invalid type: null, expected a string'],
    [
      'array shape',
      { ...VALID, shape: [1] },
      'invalid profile event: invalid type: sequence, expected a map',
    ],
    [
      'string graph flag',
      { ...VALID, graph_enabled: 'yes' },
      'invalid profile event: invalid type: string "yes", expected a boolean',
    ],
    ['array runtime flags', { ...VALID, runtime_flags: [] }, 'runtime_flags must be an object'],
    ['null runtime flags', { ...VALID, runtime_flags: null }, 'runtime_flags must be an object'],
    // serde visits a sorted map: commit_sha is decoded before model
    [
      'first bad field in byte order',
      { ...VALID, model: 1, commit_sha: 2 },
      'invalid profile event: invalid type: integer `2`, expected a string',
    ],
  ];
  it.each(cases)('%s', (_, value, message) => {
    expect(() => parseProfileEventValue(value)).toThrow(new ProfileEventError(message));
  });

  it('accepts array-valued shape, string stage_us, null source and unknown keys', () => {
    const e = parseProfileEventValue({
      ...VALID,
      shape: { dims: [1, 2] },
      stage_us: { t: '12' },
      extra: true,
      source: null,
    });
    expect(e.shape).toEqual({ dims: [1, 2] });
    expect(e.stage_us).toEqual({ t: '12' });
    expect('source' in e).toBe(false);
  });
});
