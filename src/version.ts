import { readFileSync } from 'node:fs';

export const TOOL_NAME = 'wxo-policy';
/** Read once from package.json, so a release bump needs no code change. */
export const TOOL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
