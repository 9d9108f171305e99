// Pure parts of ferrum's host detection (ferrum-behaviour §4.1, §4.3): turning nvidia-smi, nvcc
// and /proc/cpuinfo text into Env values. The commands themselves run in src/host/env-capture.ts.

/** nvidia-smi's GPU name → hw_id: lower-case, drop "nvidia " and "geforce ", trim, spaces → hyphens; undefined if empty. */
export function hwIdFromGpuName(name: string): string | undefined {
  const id = hyphenate(name.toLowerCase().replaceAll('nvidia ', '').replaceAll('geforce ', ''));
  return id === '' ? undefined : id;
}

/** A CPU brand string (macOS sysctl) → hw_id: trim, lower-case, spaces → hyphens. */
export function hwIdFromCpuBrand(brand: string): string {
  return hyphenate(brand.toLowerCase());
}

/**
 * /proc/cpuinfo → hw_id from its first `model name` line: the text between the first and the
 * second colon (ferrum splits on ':' and keeps field 1), trimmed, lower-case, hyphens.
 * Undefined when there is no such line.
 */
export function hwIdFromCpuinfo(cpuinfo: string): string | undefined {
  for (const line of cpuinfo.split(/\r?\n/)) {
    if (!line.startsWith('model name')) continue;
    const field = line.split(':')[1];
    if (field !== undefined) return hwIdFromCpuBrand(field);
  }
  return undefined;
}

function hyphenate(text: string): string {
  return text.trim().replaceAll(' ', '-');
}

/**
 * One nvidia-smi `--format=csv,noheader,nounits` answer: the first line, trimmed; undefined when
 * empty, "[Not Supported]" or "[N/A]" (ferrum counts those as absent).
 */
export function nvidiaSmiValue(stdout: string): string | undefined {
  const first = (stdout.split(/\r?\n/)[0] ?? '').trim();
  if (first === '' || first === '[Not Supported]' || first === '[N/A]') return undefined;
  return first;
}

/** `nvcc --version` → the CUDA release: on the first line with "release ", the text up to the next comma. */
export function cudaFromNvcc(stdout: string): string | undefined {
  for (const line of stdout.split(/\r?\n/)) {
    const at = line.indexOf('release ');
    if (at < 0) continue;
    const rest = line.slice(at + 'release '.length);
    const comma = rest.indexOf(',');
    if (comma >= 0) return rest.slice(0, comma).trim();
  }
  return undefined;
}

/** Rust's `str::parse::<u32>()`: optional '+', decimal digits only, at most 2^32 − 1. */
export function parseU32(text: string | undefined): number | undefined {
  if (text === undefined || !/^\+?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 4294967295 ? value : undefined;
}

/** nvidia-smi's power.limit ("350.00") → whole watts, the part before the first '.' parsed as a u32. */
export function powerLimitW(text: string | undefined): number | undefined {
  return parseU32(text?.split('.')[0]);
}
