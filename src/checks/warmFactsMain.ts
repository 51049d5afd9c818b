import { warmFactsMain } from './warmFacts.js';

/** The detached facts-cache warm-up (warmFacts.ts): `node warmFactsMain.js <root> <cacheDir>`, the policy on stdin. */
await warmFactsMain(process.argv.slice(2), process.stdin);
