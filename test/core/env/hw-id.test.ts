import { describe, expect, it } from 'vitest';
import {
  cudaFromNvcc,
  hwIdFromCpuBrand,
  hwIdFromCpuinfo,
  hwIdFromGpuName,
  nvidiaSmiValue,
  parseU32,
  powerLimitW,
} from '../../../src/core/env/hw-id.js';

describe('hw_id heuristic (ferrum-behaviour §4.3)', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', 'rtx-4090'],
    ['NVIDIA H200', 'h200'],
    ['NVIDIA A100-SXM4-80GB', 'a100-sxm4-80gb'],
    ['  Tesla T4  ', 'tesla-t4'],
  ])('GPU %j → %s', (name, id) => {
    expect(hwIdFromGpuName(name)).toBe(id);
  });

  it('an empty GPU name gives nothing (fall through to the CPU)', () => {
    expect(hwIdFromGpuName('NVIDIA ')).toBeUndefined();
  });

  it('CPU brand and /proc/cpuinfo', () => {
    expect(hwIdFromCpuBrand('Apple M1 Max\n')).toBe('apple-m1-max');
    const cpuinfo =
      'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\nprocessor\t: 1\nmodel name\t: other\n';
    expect(hwIdFromCpuinfo(cpuinfo)).toBe('amd-epyc-7b13-64-core-processor');
    // the text between the first and the second colon only
    expect(hwIdFromCpuinfo('model name\t: Weird: CPU\n')).toBe('weird');
    expect(hwIdFromCpuinfo('processor\t: 0\n')).toBeUndefined();
  });
});

describe('nvidia-smi and nvcc answers', () => {
  it.each<[string, string | undefined]>([
    ['555.42.06\n', '555.42.06'],
    ['NVIDIA H200\r\nNVIDIA H200\r\n', 'NVIDIA H200'],
    ['[Not Supported]\n', undefined],
    ['[N/A]\n', undefined],
    ['\n', undefined],
  ])('first line of %j → %j', (stdout, value) => {
    expect(nvidiaSmiValue(stdout)).toBe(value);
  });

  it('clock and power parse like Rust u32', () => {
    expect(parseU32('2520')).toBe(2520);
    expect(parseU32('2520.5')).toBeUndefined();
    expect(parseU32('-1')).toBeUndefined();
    expect(parseU32('4294967296')).toBeUndefined();
    expect(powerLimitW('350.00')).toBe(350);
    expect(powerLimitW('[N/A]')).toBeUndefined();
  });

  it('nvcc release', () => {
    const out =
      'nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.4, V12.4.131\nBuild cuda_12.4\n';
    expect(cudaFromNvcc(out)).toBe('12.4');
    expect(cudaFromNvcc('command not found')).toBeUndefined();
  });
});
