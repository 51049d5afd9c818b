import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { EnvError, EXIT, UsageError, WxoError } from '../errors.js';
import { resolveRepo } from '../git/resolveRepo.js';
import { revParse } from '../git/queries.js';
import { loadPolicyAt } from '../snapshot/loadPolicy.js';
import { messages } from '../messages.js';
import { loadResourceSet, type ResourceSet } from '../deploy/resources.js';
import { deployTags, type DeployTag } from '../deploy/tags.js';
import { resolveTarget, type Target } from '../deploy/target.js';
import type { Policy } from '../policy/model.js';
import { compareLive, driftCount, expectedObjects, providedNames, sortItems, type DriftItem } from './compare.js';
import { readLiveState, ReadError } from './read.js';
import { openSession } from './session.js';
import { writeReportFile } from '../fs/writeReport.js';
import { releaseArgv } from '../kinds/draftLive.js';

/**
 * `drift`: the environment's tenant against its last deploy tag. The tag's commit is rendered
 * with the values as deployed and compared with what the CLI reads from the tenant. The tenant's
 * draft (and its knowledge bases) is shared by the environments of the tenant: when a sibling
 * environment deployed after this one, the draft is compared with the sibling's tag, and on a
 * live stage the agents whose draft version differs from the one this environment put live are
 * listed as draft-differs (information: live cannot be read through the ADK 2.9 CLI).
 */
export type DriftVerdict = 'in-sync' | 'drift' | 'unknown';

export interface DriftReport {
  environment: string;
  tenant: string;
  stage: string;
  branch?: string;
  /** The environment's last deploy tag (what should be there). */
  tag?: { name: string; commit: string; date: string };
  /** The tag the tenant's draft was compared with, when a sibling environment deployed later. */
  draftTag?: { name: string; environment: string; commit: string };
  checkedAt: string;
  verdict: DriftVerdict;
  items: DriftItem[];
  /** Resources Git defines that the CLI cannot list (ADK 2.9). */
  unchecked: string[];
  /** Why the verdict is unknown. */
  error?: string;
  notes: string[];
}

export interface DriftOptions {
  env?: string;
  /**
   * `drift --all`: knowledge bases are tenant-wide, so they are compared once per tenant — in the
   * first environment of the tenant checked. The others name it and leave them out.
   */
  knowledgeBasesComparedIn?: string;
  remote?: string;
  vars: NodeJS.ProcessEnv;
  log(line: string): void;
}

export const exitCodeOf = (report: Pick<DriftReport, 'verdict'>): number =>
  report.verdict === 'in-sync' ? EXIT.ok : report.verdict === 'drift' ? EXIT.findings : EXIT.error;

/** `drift --all`: the worst verdict decides — 2 when any environment could not be told, else 1 when any drifted, else 0. */
export const exitCodeOfAll = (reports: readonly Pick<DriftReport, 'verdict'>[]) => Math.max(EXIT.ok, ...reports.map(exitCodeOf));

/**
 * `drift --all`: every environment of the policy at HEAD, in the policy's order. Knowledge bases
 * are compared in the first environment of each tenant that could be read. A problem that stops
 * one environment (no API key, never deployed) is that environment's "could not tell"; the others
 * are still checked.
 */
export async function runDriftAll(
  cwd: string,
  options: Omit<DriftOptions, 'env' | 'knowledgeBasesComparedIn'>,
): Promise<{ report: DriftReport; target?: Target }[]> {
  const repo = resolveRepo(cwd);
  const head = revParse(repo.root, 'HEAD');
  if (!head) throw new UsageError(messages.deploy.noCommits);
  const policy = await loadPolicyAt(repo.root, { type: 'commit', rev: head }, { notify: options.log, cacheDir: repo.commonDir });
  const kbComparedIn = new Map<string, string>();
  const out: { report: DriftReport; target?: Target }[] = [];
  for (const env of policy.environments) {
    const comparedIn = kbComparedIn.get(env.tenant);
    try {
      const result = await runDrift(cwd, { ...options, env: env.name, ...(comparedIn ? { knowledgeBasesComparedIn: comparedIn } : {}) });
      if (!comparedIn && result.report.verdict !== 'unknown') kbComparedIn.set(env.tenant, env.name);
      out.push(result);
    } catch (e) {
      if (!(e instanceof WxoError)) throw e;
      out.push({ report: { ...unknownReport(env.name, env.tenant, env.stage), error: e.message } });
    }
  }
  return out;
}

/** A report that has not looked yet: unknown until the tenant has answered. */
function unknownReport(environment: string, tenant: string, stage: DriftReport['stage']): DriftReport {
  return { environment, tenant, stage, checkedAt: new Date().toISOString(), verdict: 'unknown', items: [], unchecked: [], notes: [] };
}

/**
 * Runs the comparison. Problems before the tenant is reached that are the caller's to fix
 * (unknown environment, no secret) are thrown (exit 2); everything about the tenant itself comes
 * back as a report with verdict unknown, so that formats, metrics and alerts still see it.
 */
export async function runDrift(cwd: string, options: DriftOptions): Promise<{ report: DriftReport; target: Target }> {
  const target = await resolveTarget(
    cwd,
    { ...(options.env ? { env: options.env } : {}), remote: options.remote ?? 'origin' },
    options.vars,
  );
  for (const note of target.notes) options.log(note);
  const { policy, env, tenant } = target;
  const report = unknownReport(env.name, tenant.name, env.stage);
  if (target.branch) report.branch = target.branch;
  const tag = target.base?.tag;
  if (!tag) {
    report.error = messages.live.neverDeployed(env.name);
    return { report, target };
  }
  report.tag = { name: tag.name, commit: tag.commit, date: tag.date };

  // The draft is the tenant's: the newest deploy of any of its environments wrote it last.
  const draftTag = newestTenantTag(target.root, policy, env.tenant, tag);
  const envSet = await loadResourceSet(target.root, tag.commit, policy);
  let draftSet: ResourceSet = envSet;
  if (draftTag.tag.name !== tag.name) {
    report.draftTag = { name: draftTag.tag.name, environment: draftTag.environment, commit: draftTag.tag.commit };
    report.notes.push(messages.live.draftFromSibling(draftTag.environment, draftTag.tag.name));
    draftSet = await loadResourceSet(target.root, draftTag.tag.commit, policy);
  }
  const { objects, unchecked } = expectedObjects(draftSet, { listable: true });
  report.unchecked = unchecked;

  let session;
  try {
    session = await openSession(target, envSet.tenant, options.vars, (argv) => options.log(`$ ${policy.deploy.orchestrate} ${argv}`));
  } catch (e) {
    if (e instanceof EnvError) {
      report.error = e.message;
      return { report, target };
    }
    throw e;
  }
  try {
    const agentsInGit = new Map(objects.filter((o) => o.kind === 'agent').map((o) => [o.name, o.variant ?? 'native']));
    const live = await readLiveState(session.call, {
      exportAgents: (listed) => listed.filter((a) => agentsInGit.has(a.name)).map((a) => ({ name: a.name, kind: a.kind })),
      // Channels are per agent and environment: those of the agents Git attaches channels to, in this stage.
      listable: {
        channelsOf: () =>
          [...new Set(objects.filter((o) => o.kind === 'channel' && o.agent).map((o) => o.agent!))].map((agent) => ({
            agent,
            env: env.stage,
          })),
      },
    });
    const items = compareLive(objects, live, {
      provided: providedNames(policy),
      credentialKeys: policy.secrets.credential_keys,
      mask: (t) => session.masker.mask(t),
      stage: env.stage,
    });
    if (env.stage === 'live' && draftSet !== envSet) items.push(...draftDiffers(envSet, draftSet, report.draftTag!.name));
    const comparedIn = options.knowledgeBasesComparedIn;
    if (comparedIn) report.notes.push(messages.live.knowledgeBasesComparedIn(comparedIn, tenant.name));
    report.items = sortItems(comparedIn ? items.filter((i) => i.kind !== 'knowledge_base') : items);
    report.verdict = driftCount(report.items) ? 'drift' : 'in-sync';
  } catch (e) {
    if (!(e instanceof ReadError || e instanceof WxoError)) throw e;
    report.error = session.masker.mask(e.message);
  } finally {
    session.close();
  }
  return { report, target };
}

function newestTenantTag(root: string, policy: Policy, tenant: string, own: DeployTag): { tag: DeployTag; environment: string } {
  let best = { tag: own, environment: '' };
  for (const other of policy.environments) {
    if (other.tenant !== tenant) continue;
    const latest = deployTags(root, policy, other)[0];
    if (latest && latest.time > best.tag.time) best = { tag: latest, environment: other.name };
  }
  return best;
}

/** Agents this environment put live whose draft (another environment's deploy) is different. */
export function draftDiffers(envSet: Pick<ResourceSet, 'units'>, draftSet: Pick<ResourceSet, 'units'>, draftTag: string): DriftItem[] {
  const draft = new Map(draftSet.units.filter((u) => u.kind === 'agent').map((u) => [u.name, u]));
  const out: DriftItem[] = [];
  for (const unit of envSet.units) {
    if (unit.kind !== 'agent' || !releaseArgv(unit.objects[0]!)) continue; // agents with a live version of their own (the catalogue's draftLive)
    const other = draft.get(unit.name);
    if (other && other.fingerprint === unit.fingerprint) continue;
    out.push({
      kind: 'agent',
      name: unit.name,
      state: 'draft-differs',
      path: unit.path,
      diffs: [
        {
          field: 'draft',
          expected: 'the version this environment deployed to live',
          actual: other ? `the version of ${draftTag}` : `removed by ${draftTag}`,
        },
      ],
    });
  }
  return out;
}

// ---- the last verdict per environment: what "drift cleared" and the status board compare with ------------

export interface DriftStateRecord {
  environment: string;
  tenant: string;
  verdict: DriftVerdict;
  checkedAt: string;
  tag?: string;
  /** Drifted resources (kind name state), for "the same drift as last time". */
  drifted: string[];
  fingerprint: string;
}

export function stateRecord(report: DriftReport): DriftStateRecord {
  const drifted = report.items.filter((i) => i.state !== 'draft-differs').map((i) => `${i.kind} ${i.name} ${i.state}`);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ verdict: report.verdict, items: report.items.map((i) => [i.kind, i.name, i.state, i.diffs]) }))
    .digest('hex');
  return {
    environment: report.environment,
    tenant: report.tenant,
    verdict: report.verdict,
    checkedAt: report.checkedAt,
    ...(report.tag ? { tag: report.tag.name } : {}),
    drifted,
    fingerprint,
  };
}

const stateDir = (commonDir: string) => join(commonDir, 'wxo-policy', 'drift');
const stateFile = (commonDir: string, env: string) => join(stateDir(commonDir), `${encodeURIComponent(env)}.json`);

export function readDriftState(commonDir: string, env: string): DriftStateRecord | undefined {
  const file = stateFile(commonDir, env);
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as DriftStateRecord;
    return value && typeof value === 'object' && typeof value.verdict === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeDriftState(commonDir: string, record: DriftStateRecord): void {
  writeReportFile(commonDir, stateFile(commonDir, record.environment), `${JSON.stringify(record, null, 2)}\n`, messages.live.cannotWrite);
}

/**
 * Which alert a verdict calls for, given the previous one: drift_found when the drift is new or
 * different from last time, drift_cleared when a drift is gone. Nothing for a repeat, nothing for
 * unknown (the check failing is the job's failure, not the tenant's).
 */
export function alertFor(previous: DriftStateRecord | undefined, current: DriftStateRecord): 'drift_found' | 'drift_cleared' | undefined {
  if (current.verdict === 'drift')
    return previous?.verdict === 'drift' && previous.fingerprint === current.fingerprint ? undefined : 'drift_found';
  if (current.verdict === 'in-sync' && previous?.verdict === 'drift') return 'drift_cleared';
  return undefined;
}
