import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { compileClassifier, type FileClassifier } from '../policy/fileClassifier.js';
import type { BranchInfo } from '../policy/environments.js';
import { POLICY_FILE } from '../policy/model.js';
import type { Policy } from '../policy/model.js';
import {
  listSnapshot,
  readSnapshot,
  snapshotGrep,
  type FileContent,
  type SnapshotGrep,
  type SnapshotEntry,
  type SnapshotSource,
} from '../snapshot/snapshot.js';
import { parseValues } from '../resources/values.js';
import { ruleFinding } from './finding.js';
import { FactsCache } from './factsCache.js';
import type { WorkerPool } from './workerPool.js';
import { analyzeContent, analyzeSnapshotFiles, HUGE_CHECK, MIN_FILES_FOR_WORKERS, type AnalyzeOptions } from './analyzeMany.js';
import { ResultCache } from './resultCache.js';
import { warmFactsInBackground } from './warmFacts.js';
import { tenantBinding } from './rules/tenantBinding.js';
import { checkReferences, mayReferTo, targetKey, type ReferenceScope } from './rules/references.js';
import { checkLiveConfig } from './rules/liveConfig.js';
import { isPerStage } from '../kinds/draftLive.js';
import { isWxoKind, wxoKind } from '../kinds/catalogue.js';
import type { FileFacts, FileResult, Finding, TargetKind } from './types.js';

/**
 * The check engine: one pipeline for every scope. A scope is a snapshot (working tree, index or
 * commit) and optionally the subset of its files that changed; repository-wide rules
 * (references, tenant binding) always see the whole snapshot.
 */
export interface CheckRequest {
  root: string;
  policy: Policy;
  source: SnapshotSource;
  /** The files to judge; undefined: every file of the snapshot. */
  paths?: readonly string[];
  /**
   * The change the judged files come from (staged changes, a range, a pull request): every path it
   * touched, deletions included, and the snapshot it was made on. Unchanged files that refer to
   * what it removed or renamed are reported too.
   */
  change?: {
    base: Exclude<SnapshotSource, { type: 'worktree' }>;
    paths: readonly string[];
    /** The regular files of `paths` at `base`, with their blob ids (the change list carries them: baseEntriesOf). */
    entries: readonly SnapshotEntry[];
  };
  /** Explicit files outside git's view (check FILE… on untracked files). */
  extraEntries?: readonly SnapshotEntry[];
  /** Outside any git repository: the snapshot is the extra entries alone, read from disk. */
  noRepository?: boolean;
  /** The branch the snapshot belongs to, when known: enables tenant-binding against its tenant. */
  branch?: BranchInfo;
  /** Worker threads for file analysis (0: in this thread). */
  jobs?: number;
  /** Where the facts cache lives (the repository's common git dir); none outside git. */
  cacheDir?: string;
  /** The worktree's own git dir, where known: the index is read from its file (listSnapshot). */
  gitDir?: string;
  /** `check --cache-dir`: per-file results of committed blobs, kept between CI builds (resultCache.ts). */
  resultCacheDir?: string;
  /**
   * A local check (a hook, `check PATH`): when its context had to be searched for because the facts
   * cache knows too little of a big repository, warm the cache in the background (warmFacts.ts).
   */
  warmFactsCache?: boolean;
}

/** Findings before the policy allowlist, which the caller applies once over everything it found. */
export interface CheckResult {
  findings: Finding[];
  filesChecked: number;
  /** With a result cache: how many judged files it answered. */
  cached?: number;
}

export async function runChecks(req: CheckRequest): Promise<CheckResult> {
  const jobs = req.jobs ?? 0;
  let pool: WorkerPool | undefined;
  const threadsFor: ThreadsFor = async (files) => {
    if (jobs <= 1 || files < MIN_FILES_FOR_WORKERS) return undefined;
    return (pool ??= new (await import('./workerPool.js')).WorkerPool(req.root, req.policy, jobs, files >= HUGE_CHECK));
  };
  try {
    return await check(req, threadsFor);
  } finally {
    (pool as WorkerPool | undefined)?.close(); // assigned inside threadsFor, out of the compiler's sight
  }
}

/** The worker threads for a piece of work of this many files, if it is big enough to want them. */
type ThreadsFor = (files: number) => Promise<WorkerPool | undefined>;

async function check(req: CheckRequest, threadsFor: ThreadsFor): Promise<CheckResult> {
  const { policy } = req;
  const classifier = compileClassifier(policy);
  const isResource = (path: string) => isResourceFile(path, classifier);
  // Where the changed resource files were before the change (the change list carried their blob ids).
  const change = req.paths ? req.change : undefined;
  const before = change ? change.entries.filter((e) => isResource(e.path)) : [];
  // A partial check of the work tree takes its context from the index: one listing serves both.
  const index =
    req.paths && req.source.type === 'worktree' && !req.noRepository
      ? listSnapshot(req.root, { type: 'index' }, { gitDir: req.gitDir })
      : undefined;
  const listed = req.noRepository
    ? []
    : (index?.map((e) => ({ path: e.path })) ?? listSnapshot(req.root, req.source, { onDisk: !req.paths, gitDir: req.gitDir }));
  const snapshot = [...listed, ...(req.extraEntries ?? [])];
  const allPaths = new Set(snapshot.map((e) => e.path));
  const wanted = req.paths ? new Set(req.paths) : undefined;
  const targets = snapshot.filter((e) => (!wanted || wanted.has(e.path)) && !classifier.isIgnored(e.path));
  const targetSet = new Set(targets.map((e) => e.path));
  // V8 lets the heap grow to several times what it holds before it collects: a check of 100,000
  // files holds ~150 MB of results and peaked at 750 MB. Growing by a fifth at a time keeps it
  // under 500 MB, for ~7% more CPU — paid only where the memory matters (bench/: growth table).
  if (targets.length >= HUGE_CHECK) setFlagsFromString('--heap-growing-percent=20');
  // Threads only once the listing says the work is big enough; their start-up overlaps what follows.
  // With a result cache, how many files need analysing is known only once it is read.
  const pool = req.resultCacheDir ? undefined : await threadsFor(targets.length);

  // Only resource files are deployable (values.yaml) or take part in references. A change that
  // touches none and deletes nothing (a deleted path may be a knowledge-base document) needs no
  // facts of other files: no cache, no context.
  const judgesResources = targets.some((e) => isResource(e.path));
  const changeRemoves = change?.paths.some((p) => isResource(p) || !allPaths.has(p)) ?? false;
  const needContext = wanted !== undefined && (judgesResources || changeRemoves);
  // values.yaml first: deployable files are validated with its values. Its read starts before the
  // cache is parsed, and when it is judged too, it is analysed from that copy, not read again.
  const valuesEntry = judgesResources ? snapshot.find((e) => classifier.kindSetting(e.path) === 'values') : undefined;
  const valuesRead = valuesEntry ? readOne(req.root, req.source, valuesEntry) : undefined;
  const valuesFile = await valuesRead;
  const values = valuesFile ? valuesOf(valuesFile) : undefined;
  const options = values ? { values } : {};
  const resultCache = req.resultCacheDir ? ResultCache.load(req.resultCacheDir, policy.hash, values) : undefined;
  // The facts cache is read only when a check needs the facts of many files it does not judge.
  const cache = lazyFactsCache(req.cacheDir, policy.hash, resultCache);
  const judgedValues =
    valuesFile && targetSet.has(valuesFile.entry.path)
      ? [await valuesResult(valuesFile, { policy, classifier, ...options }, resultCache)]
      : [];
  const rest = judgedValues.length ? targets.filter((e) => e !== valuesEntry) : targets;
  // A check of every file keeps no per-file cache: a file without findings or facts leaves no result.
  const analysis = !req.paths && !resultCache ? { ...options, leaveOutEmpty: true } : options;
  const results = [
    ...judgedValues,
    ...(await analyzeThroughCache(req, rest, analysis, resultCache, async (n) => pool ?? (await threadsFor(n)))),
  ];

  // Repository-wide rules need the facts of the resource files that can matter to the judged ones.
  let everything = results;
  let scope: ReferenceScope | undefined;
  let context: Unjudged | undefined;
  if (wanted) {
    // (For a work-tree check, the unjudged files are the index's: see contextOf.)
    const unjudged =
      needContext && !req.noRepository ? (index ?? snapshot).filter((e) => !targetSet.has(e.path) && isResource(e.path)) : [];
    // The context reads the facts cache of a repository this big in any case: what the change
    // replaced is then looked up there too, not read again (the last commit through the hook left it there).
    const factsCacheRead = unjudged.length > CONTEXT_WITHOUT_CACHE;
    const gone =
      change && changeRemoves
        ? await goneBy(req.root, change, before, results, allPaths, policy, cache, threadsFor, factsCacheRead)
        : undefined;
    context = needContext ? await contextOf(req, unjudged, classifier, results, gone, cache, threadsFor) : undefined;
    // Unjudged files first: a name the change repeats is reported at the judged file that repeats it.
    everything = [...(context?.results ?? []), ...results];
    const removed = gone ? removedOf(gone, everything) : new Set<string>();
    if (context && (removed === 'everything' || removed.size))
      everything = [...(await withFullReferences(req.root, context, removed, policy, threadsFor)), ...results];
    if (context)
      everything = await withLiveConfigReferences(
        req.root,
        context,
        everything,
        policy,
        cache,
        threadsFor,
        (path) => classifier.kindSetting(path) === 'connection',
      );
    scope = { judged: targetSet, removed };
  }
  if (cache.loaded) for (const r of results) if (r.oid && isResource(r.path)) cache.get()?.set(r.oid, r.path, r.facts);
  // A rewrite of the facts cache keeps the entries of this snapshot (of the index, for a work-tree check).
  cache.saveIfLoaded(() => new Set((index ?? listed).flatMap((e) => ('oid' in e && e.oid ? [`${e.oid}:${e.path}`] : []))));
  resultCache?.save();
  if (req.warmFactsCache && req.cacheDir && context?.searched && context.entries.size >= WARM_FROM_FILES)
    warmFactsInBackground(req.root, req.cacheDir, policy);

  const findings: Finding[] = results.flatMap((r) => r.findings);
  findings.push(...forbiddenFiles(targets, classifier, policy));
  findings.push(...checkReferences({ results: everything, paths: allPaths, policy, ...(scope ? { scope } : {}) }));
  findings.push(...checkLiveConfig(everything, policy, scope));
  // A tenant file declares its own tenant: only judged files can be wrong about it.
  findings.push(...tenantBinding(results, policy, req.branch));
  return { findings: sortFindings(findings), filesChecked: targets.length, ...(resultCache ? { cached: resultCache.stats.hits } : {}) };
}

async function valuesResult(
  file: FileContent,
  ctx: Parameters<typeof analyzeContent>[1],
  resultCache: ResultCache | undefined,
): Promise<FileResult> {
  const hit = file.entry.oid ? resultCache?.get(file.entry.oid, file.entry.path) : undefined;
  if (hit) return hit;
  const result = await analyzeContent(file, ctx);
  resultCache?.set(result);
  return result;
}

/**
 * The judged files' results: from the result cache where it has their blob, the rest analysed
 * (and added to it). In the order of the listing, whichever thread finished first: the first
 * definition of a name is the same file from run to run.
 */
async function analyzeThroughCache(
  req: CheckRequest,
  entries: readonly SnapshotEntry[],
  options: AnalyzeOptions,
  resultCache: ResultCache | undefined,
  threadsFor: ThreadsFor,
): Promise<FileResult[]> {
  const cached: FileResult[] = [];
  const missing = resultCache ? [] : entries;
  if (resultCache) {
    for (const e of entries) {
      const hit = e.oid ? resultCache.get(e.oid, e.path) : undefined;
      if (hit) cached.push(hit);
      else (missing as SnapshotEntry[]).push(e);
    }
  }
  const analysed = missing.length
    ? await analyzeSnapshotFiles(req.root, req.source, missing, req.policy, options, await threadsFor(missing.length))
    : [];
  if (resultCache) for (const r of analysed) resultCache.set(r);
  return inListingOrder(entries, [...cached, ...analysed]);
}

/** Results in the order of their entries: each put in its entry's place (a sort where a path came back twice). */
function inListingOrder(entries: readonly SnapshotEntry[], results: FileResult[]): FileResult[] {
  const order = new Map(entries.map((e, i) => [e.path, i]));
  const places = new Array<FileResult | undefined>(entries.length);
  for (const r of results) {
    const i = order.get(r.path);
    if (i === undefined || places[i]) return results.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
    places[i] = r;
  }
  const out: FileResult[] = [];
  for (const r of places) if (r) out.push(r);
  return out;
}

interface Unjudged {
  results: FileResult[];
  source: SnapshotSource;
  /** Every unjudged resource file of the snapshot (whether its facts are in `results` or not). */
  entries: Map<string, SnapshotEntry>;
  /** Found by searching the snapshot for names (the facts cache knew too little). */
  searched?: true;
  /** The work tree holds this unjudged file's bytes: it is read from disk, not inflated by git. */
  sameOnDisk?: (path: string) => boolean;
  /** `results` holds every unjudged resource file (from the facts cache, or all of them read). */
  whole?: true;
}

/** How an unjudged file is read cheaply: from disk where the work tree holds its bytes. */
const readable = (unjudged: Unjudged, e: SnapshotEntry): SnapshotEntry => (unjudged.sameOnDisk?.(e.path) ? { ...e, onDisk: true } : e);

/** Context files are parsed in this thread up to CONTEXT_THREADS_FROM (facts only: threads cost more to start). */
const contextThreads =
  (threadsFor: ThreadsFor): ThreadsFor =>
  async (n) =>
    n >= CONTEXT_THREADS_FROM ? threadsFor(n) : undefined;

/** A repository this big (unjudged resource files) is worth a background warm-up of its facts cache. */
const WARM_FROM_FILES = 500;

/**
 * The facts cache, read on first use (a pre-commit whose context is a few files never parses it).
 * With a result cache (`--cache-dir`), its full facts of committed blobs answer first.
 */
interface LazyFactsCache {
  readonly loaded: boolean;
  get(): FactsSource | undefined;
  saveIfLoaded(listed: () => ReadonlySet<string>): void;
}

/** Facts of files by blob id and path, without reading them. */
interface FactsSource {
  get(oid: string, path: string): FileFacts | undefined;
  set(oid: string, path: string, facts: FileFacts): void;
}

function lazyFactsCache(dir: string | undefined, policyHash: string, results?: ResultCache): LazyFactsCache {
  let cache: FactsCache | undefined;
  let source: FactsSource | undefined;
  const load = () => (dir ? (cache ??= FactsCache.load(dir, policyHash)) : undefined);
  return {
    get loaded() {
      return cache !== undefined;
    },
    get: () => {
      if (!results) return load();
      return (source ??= {
        get: (oid, path) => results.factsOf(oid, path) ?? load()?.get(oid, path),
        set: (oid, path, facts) => load()?.set(oid, path, facts),
      });
    },
    saveIfLoaded: (listed) => cache?.save(listed),
  };
}

/** Above this many files to read for the context, their facts come from the facts cache. */
const CONTEXT_WITHOUT_CACHE = 64;

/**
 * The facts a partial check needs of the resource files it does not judge. A working-tree check
 * takes them from the index (the files it does not judge are taken as staged).
 *
 * Not every file's: only those that can change a finding about the judged files or the change —
 * the files that declare a name the judged files declare or refer to, or a name, values key or
 * document the change removed, or refer to one of those; and the files that declare the agents
 * reachable from the judged ones through collaborators (cycles). Such a file contains the name
 * as text: `git grep` over the snapshot finds them (with a margin: see nameFragment). A change
 * that may have removed anything (a policy change) needs every file's facts.
 */
async function contextOf(
  req: CheckRequest,
  /** The snapshot's resource files that are not judged (for a work-tree check: the index's). */
  unjudged: SnapshotEntry[],
  classifier: FileClassifier,
  judged: readonly FileResult[],
  gone: Gone | undefined,
  cache: LazyFactsCache,
  threadsFor: ThreadsFor,
): Promise<Unjudged> {
  if (req.noRepository) return { results: [], source: req.source, entries: new Map() }; // every file is judged
  const fromIndex = req.source.type === 'worktree';
  const source: Exclude<SnapshotSource, { type: 'worktree' }> = fromIndex
    ? { type: 'index' }
    : (req.source as Exclude<SnapshotSource, { type: 'worktree' }>);
  const entries = new Map(unjudged.map((e) => [e.path, e]));
  // Files the work tree holds unchanged are read from disk (known once something has to be read).
  const grep = snapshotGrep(req.root, source);
  const readable = (e: SnapshotEntry) => (grep.sameOnDisk(e.path) ? { ...e, onDisk: true } : e);
  const everyFile = async () => ({
    results: await factsOf(
      req.root,
      source,
      unjudged,
      req.policy,
      unjudged.length > CONTEXT_WITHOUT_CACHE ? cache.get() : undefined,
      threadsFor,
      readable,
    ),
    source,
    entries,
    whole: true as const,
  });
  if (gone === 'everything') return everyFile();
  // A cache that knows (nearly) every unjudged file gives the whole context, as a full check has
  // it: no search, and only the files it does not know are read (and added to it).
  const known = unjudged.length > CONTEXT_WITHOUT_CACHE ? knownFacts(cache.get(), unjudged) : undefined;
  if (known) {
    const missing = unjudged.filter((_, i) => !known[i]);
    const computed = new Map((await factsOf(req.root, source, missing, req.policy, cache.get(), threadsFor)).map((r) => [r.path, r]));
    return { results: unjudged.map((e, i) => known[i] ?? computed.get(e.path)!), source, entries, whole: true };
  }

  // What the judged files declare or refer to matters only where it is declared (a duplicate, a
  // dangling reference, the next agent of a cycle): it is looked for only in the files whose kind
  // can declare it. What the change removed matters wherever it is used: looked for everywhere.
  const search = new ContextSearch();
  for (const r of judged) {
    for (const d of r.facts.resources) search.name(d.kind, d.name);
    for (const ref of r.facts.refs) {
      if (ref.kind !== 'file') search.name(ref.kind, ref.name);
      if (ref.kind === 'agent' && ref.from.kind === 'agent') search.agents.add(ref.name);
    }
    for (const d of r.facts.resources) if (d.kind === 'agent') search.agents.add(d.name);
    // `${values.x}` keys resolve in values.yaml, which is always read.
  }
  for (const d of gone?.decls ?? []) search.anywhere(d.name, d.kind);
  for (const key of gone?.valueKeys ?? []) search.anywhere(key);
  for (const path of gone?.paths ?? []) search.anywhere(path.slice(path.lastIndexOf('/') + 1));
  if (search.unsearchable) return everyFile();

  // values.yaml is always context: it defines every values key.
  const picked = new Map<string, FileResult>();
  const read = async (paths: Iterable<string>) => {
    // Unchanged in the work tree: read from disk, not inflated by git. A few hundred files are
    // parsed here faster than worker threads start.
    const wanted = [...paths].filter((p) => !picked.has(p) && entries.has(p)).map((p) => entries.get(p)!);
    const useCache = wanted.length > CONTEXT_WITHOUT_CACHE;
    for (const r of await factsOf(
      req.root,
      source,
      wanted,
      req.policy,
      useCache ? cache.get() : undefined,
      contextThreads(threadsFor),
      readable,
    ))
      picked.set(r.path, r);
    return wanted.length;
  };
  await read(unjudged.filter((e) => classifier.kindSetting(e.path) === 'values').map((e) => e.path));
  const where = new DeclaringFiles(unjudged, classifier);
  /** Kinds whose files were searched for escapes already ('' for every file). */
  const escapesSeen = new Set<string>();
  for (let round = search.take(); round; round = search.take()) {
    const found = new Set<string>();
    for (const [kind, texts] of round.texts) {
      // Whole words: a name is never glued to a letter, digit or `_` (it would be part of a longer name).
      const files = where.of(kind);
      if (files?.paths.size === 0) continue; // no file of the snapshot can declare it
      const hits = grep(texts, { words: true, pathspecs: files?.pathspecs ?? [] });
      if (!hits) return everyFile();
      for (const p of hits) if (!files || files.paths.has(p)) found.add(p);
    }
    if (round.tools.length) {
      // An OpenAPI tool is named after its operationId with every run of other characters made `_`.
      const files = where.openapi();
      const specs = files.paths.size ? grep(['operationId'], { pathspecs: files.pathspecs }) : new Set<string>();
      const fragments = [...new Set(round.tools.map((name) => longestRun(name, OPERATION_ID_RUN)!))];
      const hits = specs?.size ? grep(fragments, { pathspecs: [...specs].map((p) => `:(literal)${p}`) }) : specs;
      if (!hits) return everyFile();
      // The fragment is one run of the name; a file that declares the tool holds every run.
      const runs = round.tools.map((name) => name.split('_').filter(Boolean));
      for (const p of hits) if (files.paths.has(p) && mayHoldAll(req.root, p, grep, runs)) found.add(p);
    }
    // A name written with escapes (`\u0061`, `\x61`, an escaped line break) is not there as text:
    // such files are read, among those searched for the first time. Every escape has a backslash,
    // and one byte is the cheapest thing git grep looks for.
    const fresh = [...round.texts.keys()].filter((k) => !escapesSeen.has(k) && !escapesSeen.has(''));
    if (fresh.length) {
      for (const k of fresh) escapesSeen.add(k);
      const everywhere = fresh.includes('');
      const files = everywhere ? undefined : fresh.map((k) => where.of(k)!).filter((f) => f.paths.size > 0);
      // A kind searched over the whole snapshot (no pathspecs) has its escapes looked for there too.
      const pathspecs = files && files.every((f) => f.pathspecs.length) ? [...new Set(files.flatMap((f) => f.pathspecs))] : [];
      const escaped = files?.length === 0 ? new Set<string>() : grep(['\\'], { pathspecs: [...pathspecs, ':(exclude)*.py'] });
      if (!escaped) return everyFile();
      for (const p of escaped) if (!files || files.some((f) => f.paths.has(p))) found.add(p);
    }
    await read(found);
    // Collaborators of the agents reached so far: a cycle through a judged agent runs through them.
    for (const r of picked.values())
      for (const ref of r.facts.refs)
        if (ref.kind === 'agent' && ref.from.kind === 'agent' && search.agents.has(ref.from.name) && !search.agents.has(ref.name)) {
          search.agents.add(ref.name);
          search.name('agent', ref.name);
        }
    if (search.unsearchable) return everyFile();
  }
  // In listing order, as the whole context would be: the first definition of a name is the same file.
  return { results: unjudged.flatMap((e) => picked.get(e.path) ?? []), source, entries, searched: true, sameOnDisk: grep.sameOnDisk };
}

/**
 * The facts of these files, in their order, from a cache that knows all but a few of them
 * (CONTEXT_WITHOUT_CACHE; those are left as holes); undefined when it knows fewer.
 */
function knownFacts(cache: FactsSource | undefined, entries: readonly SnapshotEntry[]): (FileResult | undefined)[] | undefined {
  if (!cache) return undefined;
  const out: (FileResult | undefined)[] = new Array<FileResult | undefined>(entries.length);
  let unknown = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const facts = e.oid ? cache.get(e.oid, e.path) : undefined;
    if (facts) out[i] = { path: e.path, findings: [], facts };
    else if (++unknown > CONTEXT_WITHOUT_CACHE) return undefined;
  }
  return out;
}

/**
 * The strings to look for, round by round (collaborators found in one round are looked for in the
 * next), by the kind of object that declares them ('' for a text looked for in every file).
 */
class ContextSearch {
  readonly agents = new Set<string>();
  unsearchable = false;
  private readonly seen = new Set<string>();
  private texts = new Map<string, string[]>();
  private tools: string[] = [];

  /** A name of a kind, looked for where it can be declared: as written, and for tools also as an OpenAPI operationId may write it. */
  name(kind: string, name: string): void {
    this.add(kind, longestRun(name, NAME_RUN));
    if (kind === 'tool') this.addTool(name);
  }

  /** A name, key or file name looked for in every file (what a change removed may be used anywhere). */
  anywhere(value: string, kind?: string): void {
    this.add('', longestRun(value, NAME_RUN));
    if (kind === 'tool') this.addTool(value);
  }

  /** Tool names an OpenAPI operationId may give (openapiToolName keeps letters, digits and `_` only), by round. */
  take(): { texts: Map<string, string[]>; tools: string[] } | undefined {
    if (this.texts.size === 0 && this.tools.length === 0) return undefined;
    const round = { texts: this.texts, tools: this.tools };
    this.texts = new Map();
    this.tools = [];
    return round;
  }

  private add(kind: string, fragment: string | undefined): void {
    if (fragment === undefined) {
      this.unsearchable = true;
      return;
    }
    const key = `${kind}:${fragment}`;
    if (this.seen.has(key) || this.seen.has(`:${fragment}`)) return;
    this.seen.add(key);
    const list = this.texts.get(kind);
    if (list) list.push(fragment);
    else this.texts.set(kind, [fragment]);
  }

  private addTool(name: string): void {
    if (!/^[\p{L}\p{N}_]+$/u.test(name) || this.seen.has(`op:${name}`)) return;
    if (longestRun(name, OPERATION_ID_RUN) === undefined) {
      this.unsearchable = true; // `_`: an operationId of no letter or digit at all
      return;
    }
    this.seen.add(`op:${name}`);
    this.tools.push(name);
  }
}

/**
 * Can this file hold every run of one of these names? Read from disk where the work tree holds
 * the snapshot's bytes; a file that cannot be read that way is kept (it is read as the snapshot has it).
 */
function mayHoldAll(root: string, path: string, grep: SnapshotGrep, names: readonly (readonly string[])[]): boolean {
  if (!grep.sameOnDisk(path)) return true;
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    return true;
  }
  return names.some((runs) => runs.every((run) => text.includes(run)));
}

/**
 * The unjudged files that can declare an object kind: those the policy maps to a file kind of that
 * object (resolveKind keeps a file within its object kind), and `auto` files, which may be
 * anything. With the top-level directories that hold them, as `git grep` pathspecs (the search
 * covers more than them; what it finds elsewhere is dropped).
 */
class DeclaringFiles {
  private readonly byKind = new Map<string, { paths: Set<string>; pathspecs: string[] }>();
  private openapiFiles: { paths: Set<string>; pathspecs: string[] } | undefined;

  constructor(
    private readonly unjudged: readonly SnapshotEntry[],
    private readonly classifier: FileClassifier,
  ) {}

  /** Undefined for '' (every file). */
  of(kind: string): { paths: Set<string>; pathspecs: string[] } | undefined {
    if (kind === '') return undefined;
    let files = this.byKind.get(kind);
    if (!files) {
      files = this.files((setting) => setting === 'auto' || (isWxoKind(setting) && wxoKind(setting).object === kind));
      this.byKind.set(kind, files);
    }
    return files;
  }

  /** The files that may be OpenAPI documents (tools named after an operationId). */
  openapi(): { paths: Set<string>; pathspecs: string[] } {
    return (this.openapiFiles ??= this.files((setting) => setting === 'auto' || setting === 'openapi'));
  }

  private files(declares: (setting: string) => boolean): { paths: Set<string>; pathspecs: string[] } {
    const paths = new Set<string>();
    const tops = new Set<string>();
    for (const e of this.unjudged) {
      const setting = this.classifier.kindSetting(e.path);
      if (setting === undefined || !declares(setting)) continue;
      paths.add(e.path);
      const slash = e.path.indexOf('/');
      tops.add(slash < 0 ? e.path : e.path.slice(0, slash + 1));
    }
    // Many top-level entries (files at the root, a flat layout): the whole snapshot is searched.
    const pathspecs = tops.size <= MAX_PATHSPECS ? [...tops].map((t) => `:(literal)${t}`) : [];
    return { paths, pathspecs };
  }
}

/** Context files read in this thread up to this many (facts only: worker threads cost more to start). */
const CONTEXT_THREADS_FROM = 1000;

/** More pathspecs than this cost git more than they save. */
const MAX_PATHSPECS = 64;

/**
 * Characters that stand for themselves in every file kind: a YAML or JSON file that declares or
 * names something contains each run of them as text, however the value is quoted or folded
 * (quotes are doubled or escaped, whitespace folds), unless it uses escapes that can spell them
 * (filesWithEscapes). Python tools are read as written.
 */
const NAME_RUN = /[\p{L}\p{M}\p{N}_.-]+/gu;
/** What survives of an operationId in the tool name the ADK makes of it (openapiToolName). */
const OPERATION_ID_RUN = /[\p{L}\p{N}]+/gu;

function longestRun(value: string, run: RegExp): string | undefined {
  let best = '';
  for (const m of value.matchAll(run)) if (m[0].length > best.length) best = m[0];
  return best || undefined;
}

/** The facts of these files: from the cache where given, else analysed (and cached). */
async function factsOf(
  root: string,
  source: SnapshotSource,
  entries: readonly SnapshotEntry[],
  policy: Policy,
  cache: FactsSource | undefined,
  threadsFor: ThreadsFor,
  readable: (e: SnapshotEntry) => SnapshotEntry = (e) => e,
): Promise<FileResult[]> {
  const out: (FileResult | undefined)[] = [];
  const missing: SnapshotEntry[] = [];
  for (const e of entries) {
    const facts = e.oid ? cache?.get(e.oid, e.path) : undefined;
    out.push(facts ? { path: e.path, findings: [], facts } : undefined);
    if (!facts) missing.push(readable(e));
  }
  if (missing.length === 0) return out as FileResult[];
  const computed = await analyzeSnapshotFiles(root, source, missing, policy, { only: 'facts' }, await threadsFor(missing.length));
  if (cache) for (const r of computed) if (r.oid) cache.set(r.oid, r.path, r.facts);
  // In the order asked for (the listing's: the first definition of a name is the same file as in a full check).
  const byPath = new Map(computed.map((r) => [r.path, r]));
  return entries.map((e, i) => out[i] ?? byPath.get(e.path)!);
}

/**
 * What the change took away, as far as its own files tell: deleted paths (knowledge-base
 * documents), and the names and values keys that its resource files declared before the change
 * and no longer declare. A changed policy may drop provided names or change file kinds: then
 * anything may have been removed.
 */
interface GoneDetails {
  paths: string[];
  decls: { kind: TargetKind; name: string }[];
  valueKeys: string[];
}
type Gone = GoneDetails | 'everything';

async function goneBy(
  root: string,
  change: NonNullable<CheckRequest['change']>,
  beforeEntries: readonly SnapshotEntry[],
  now: readonly FileResult[],
  paths: ReadonlySet<string>,
  policy: Policy,
  cache: LazyFactsCache,
  threadsFor: ThreadsFor,
  factsCacheRead: boolean,
): Promise<Gone> {
  if (change.paths.includes(POLICY_FILE)) return 'everything';
  const before = await factsOf(
    root,
    change.base,
    beforeEntries,
    policy,
    factsCacheRead || beforeEntries.length > CONTEXT_WITHOUT_CACHE ? cache.get() : undefined,
    threadsFor,
  );
  // What a file declared before and still declares is not removed (the usual edit).
  const current = new Map(now.map((r) => [r.path, r.facts]));
  const gone: GoneDetails = { paths: change.paths.filter((p) => !paths.has(p)), decls: [], valueKeys: [] };
  for (const r of before) {
    const after = current.get(r.path);
    for (const d of r.facts.resources) if (!after?.resources.some((a) => a.kind === d.kind && a.name === d.name)) gone.decls.push(d);
    if (r.facts.valueKeys) {
      const kept = new Set(after?.valueKeys);
      for (const key of r.facts.valueKeys) if (!kept.has(key)) gone.valueKeys.push(key);
    }
  }
  return gone;
}

/**
 * What a file the change did not touch may still point at (targetKey): what the change took away
 * and nothing else declares. A reference that dangles now and did not before must point at one
 * of these: whatever it pointed at was declared by a file the change touched, or that file would
 * still declare it.
 */
function removedOf(gone: Gone, now: readonly FileResult[]): Set<string> | 'everything' {
  if (gone === 'everything') return 'everything';
  const removed = new Set(gone.paths.map((p) => targetKey('file', p)));
  if (gone.decls.length) {
    const names = new Set(gone.decls.map((d) => d.name));
    const declared = new Set<string>();
    for (const r of now) for (const d of r.facts.resources) if (names.has(d.name)) declared.add(targetKey(d.kind, d.name));
    for (const d of gone.decls) if (!declared.has(targetKey(d.kind, d.name))) removed.add(targetKey(d.kind, d.name));
  }
  if (gone.valueKeys.length) {
    const defined = new Set(now.flatMap((r) => r.facts.valueKeys ?? []));
    for (const key of gone.valueKeys) if (!defined.has(key)) removed.add(targetKey('value', key));
  }
  return removed;
}

/**
 * Cached facts know what a file refers to only by hashes (refHashes): the files that may refer to
 * something removed are analysed again, for the references themselves and their positions.
 */
async function withFullReferences(
  root: string,
  unjudged: Unjudged,
  removed: ReadonlySet<string> | 'everything',
  policy: Policy,
  threadsFor: ThreadsFor,
): Promise<FileResult[]> {
  const refersToRemoved = removed === 'everything' ? () => true : mayReferTo(removed);
  const affected = (r: FileResult) => r.facts.refHashes !== undefined && refersToRemoved(r.facts.refHashes);
  const again = unjudged.results.filter(affected).map((r) => unjudged.entries.get(r.path)!);
  if (again.length === 0) return unjudged.results;
  const fresh = new Map(
    (await analyzeSnapshotFiles(root, unjudged.source, again, policy, { only: 'facts' }, await threadsFor(again.length))).map((r) => [
      r.path,
      r,
    ]),
  );
  return unjudged.results.map((r) => fresh.get(r.path) ?? r);
}

/**
 * The live-configuration judgement (rules/liveConfig.ts) walks from agents to connections through
 * every reference; cached facts keep only agent-to-agent ones. When some connection lacks its live
 * block (rare), the files that may lead to it are analysed again, outward from it (who may refer to
 * it, who may refer to those …), so a partial check sees the whole way. Nothing to do otherwise.
 */
async function withLiveConfigReferences(
  root: string,
  unjudged: Unjudged,
  everything: FileResult[],
  policy: Policy,
  cache: LazyFactsCache,
  threadsFor: ThreadsFor,
  isConnectionFile: (path: string) => boolean,
): Promise<FileResult[]> {
  if (!policy.environments.some((e) => e.stage === 'live')) return everything;
  // The stages of the connection files the partial context left out: a few are read, many (every
  // commit pays for them) come from the facts cache, as the context's own files do.
  const connections = unjudged.whole
    ? []
    : (() => {
        const inContext = new Set(everything.map((r) => r.path));
        return [...unjudged.entries.values()].filter((e) => !inContext.has(e.path) && isConnectionFile(e.path));
      })();
  if (connections.length) {
    const facts = connections.length > CONTEXT_WITHOUT_CACHE ? cache.get() : undefined;
    const files = connections.map((e) => readable(unjudged, e));
    everything = [...(await factsOf(root, unjudged.source, files, policy, facts, contextThreads(threadsFor))), ...everything];
  }
  const targets = new Set<string>();
  for (const r of everything)
    for (const d of r.facts.resources)
      if (isPerStage(d.kind) && d.stages && !d.stages.includes('live')) targets.add(targetKey(d.kind, d.name));
  if (!targets.size) return everything;
  // The context of a partial check holds only the files that the judged ones name; the way from an
  // agent to the connection may run through others. Rare (a connection without its live block): all
  // unjudged resource files are read with full references.
  const known = new Set(everything.map((r) => r.path));
  const missing = [...unjudged.entries.values()].filter((e) => !known.has(e.path));
  if (missing.length)
    everything = [
      ...(await analyzeSnapshotFiles(root, unjudged.source, missing, policy, { only: 'facts' }, await threadsFor(missing.length))),
      ...everything,
    ];
  const fresh = new Map<string, FileResult>();
  let wanted = targets;
  while (wanted.size) {
    const mayRefer = mayReferTo(wanted);
    const again = everything.filter(
      (r) => r.facts.refHashes !== undefined && !fresh.has(r.path) && unjudged.entries.has(r.path) && mayRefer(r.facts.refHashes),
    );
    if (!again.length) break;
    const analysed = await analyzeSnapshotFiles(
      root,
      unjudged.source,
      again.map((r) => unjudged.entries.get(r.path)!),
      policy,
      { only: 'facts' },
      await threadsFor(again.length),
    );
    wanted = new Set();
    for (const r of analysed) {
      fresh.set(r.path, r);
      for (const d of r.facts.resources) {
        const key = targetKey(d.kind, d.name);
        if (targets.has(key)) continue;
        targets.add(key);
        wanted.add(key);
      }
    }
  }
  return fresh.size ? everything.map((r) => fresh.get(r.path) ?? r) : everything;
}

async function readOne(root: string, source: SnapshotSource, entry: SnapshotEntry): Promise<FileContent | undefined> {
  for await (const file of readSnapshot(root, source, [entry])) return file;
  return undefined;
}

/** The `values:` of values.yaml, which deployable files are validated with. */
function valuesOf(file: FileContent): Record<string, unknown> | undefined {
  if (!file.content) return undefined;
  try {
    return parseValues(file.content.toString('utf8'), file.entry.path);
  } catch {
    return undefined; // a broken values.yaml is reported as a file of its own
  }
}

function isResourceFile(path: string, classifier: FileClassifier): boolean {
  const kind = classifier.kindSetting(path);
  return kind !== undefined && kind !== 'none' && !classifier.isIgnored(path);
}

function forbiddenFiles(targets: readonly SnapshotEntry[], classifier: FileClassifier, policy: Policy): Finding[] {
  return targets
    .filter((e) => classifier.isForbidden(e.path))
    .flatMap(
      (e) =>
        ruleFinding(policy, 'forbidden-files', {
          file: e.path,
          line: 1,
          column: 1,
          message: 'this file must never be committed (forbidden_files: .env files, private keys, rendered connections)',
        }) ?? [],
    );
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
