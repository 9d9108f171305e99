// The tool version, read once from package.json at build time via the module's location.

import { readFileSync } from 'node:fs';

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const TOOL_VERSION: string = readVersion();
