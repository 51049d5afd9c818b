import { git } from '../git/git.js';

/**
 * The deploy record a deploy tag carries (its annotated message, written by deploy.ts): who,
 * when, which build. Read for the status board and the metrics; a hand-made or foreign tag
 * simply yields fewer fields.
 */
export interface DeployRecord {
  tag: string;
  /** The tagger: the CI identity or the person who deployed. */
  by?: string;
  started?: string;
  finished?: string;
  durationSeconds?: number;
  build?: string;
  host?: string;
  version?: string;
  /** `live verification: …` line, when the deploy wrote one. */
  verification?: string;
}

/** Parses a deploy record message. Pure. */
export function parseDeployRecord(tag: string, message: string, tagger?: string): DeployRecord {
  const record: DeployRecord = { tag };
  if (tagger) record.by = tagger;
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(message)?.[1]?.trim();
  const started = field('started');
  const finished = field('finished');
  if (started) record.started = started;
  if (finished) record.finished = finished;
  if (started && finished && !Number.isNaN(Date.parse(started)) && !Number.isNaN(Date.parse(finished)))
    record.durationSeconds = Math.max(0, (Date.parse(finished) - Date.parse(started)) / 1000);
  for (const [key, name] of [
    ['build', 'build'],
    ['host', 'host'],
    ['version', 'version'],
    ['verification', 'live verification'],
  ] as const) {
    const v = field(name);
    if (v) record[key] = v;
  }
  return record;
}

/** The records of the given tags, in one git call. */
export function readDeployRecords(root: string, tags: readonly string[]): Map<string, DeployRecord> {
  const out = new Map<string, DeployRecord>();
  if (!tags.length) return out;
  const r = git(
    root,
    ['for-each-ref', '--format=%(refname:short)%00%(taggername)%00%(contents)%00%00', ...tags.map((t) => `refs/tags/${t}`)],
    { allowFailure: true },
  );
  for (const chunk of r.stdout.split('\0\0')) {
    const [name, tagger, message] = chunk.replace(/^\n/, '').split('\0');
    if (!name || message === undefined) continue;
    out.set(name, parseDeployRecord(name, message, tagger || undefined));
  }
  return out;
}
