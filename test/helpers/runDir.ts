import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for the whole run of the end-to-end tests (set-ups shared by files: test/helpers/template.ts runTemplate). */
    runDir: string;
  }
}

/** Global set-up of the end-to-end tests: one directory for the run, removed when it ends (KEEP_TMP=1 keeps it). */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'wxo-run-'));
  project.provide('runDir', dir);
  return () => {
    if (!process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  };
}
