import type { PreparedPlan } from '../deploy/prepare.js';
import { compareLive, expectedObjects, liveName, providedNames, SEPARATELY_LISTED_KINDS, type DriftItem } from './compare.js';
import { readLiveState, type Call } from './read.js';

/**
 * Post-deploy verification: after the operations, the tenant is read with the drift reader and
 * every resource the deploy imported is compared with head (present, fields as rendered), every
 * resource it removed must be gone. Voice configs, models, model policies, phone configs and
 * channels are read through the lists drift uses only when the plan imported or removed one (the
 * other deploys pay for no extra call); channels of the agents whose channels it imported or
 * removed. Live agent specs are not verified (ADK 2.9 cannot read them).
 */
export interface Verification {
  ok: boolean;
  /** Resources compared. */
  checked: number;
  /** Differences: `unmanaged` here means "still there after its removal". */
  items: DriftItem[];
}

/**
 * What the plan touched: the files of the units it imported (their objects are expected as
 * rendered), the keys (`kind:name`, named as the tenant lists them) of the objects it removed,
 * and whether it removed one of the separately listed kinds (and which agents' channels). Pure.
 */
function touchedObjects(prepared: Pick<PreparedPlan, 'plan' | 'head'>): {
  imported: Set<string>;
  removed: Set<string>;
  removedListed: boolean;
  removedChannelAgents: Set<string>;
} {
  const units = new Map(prepared.head.units.map((u) => [u.id, u]));
  const imported = new Set<string>();
  const removed = new Set<string>();
  const removedChannelAgents = new Set<string>();
  let removedListed = false;
  for (const op of prepared.plan.operations) {
    if (op.action === 'remove') {
      // A channel removal's name is already `agent/channel`, the key compareLive lists it by.
      removed.add(`${op.kind}:${liveName(op.kind, op.name)}`);
      if (SEPARATELY_LISTED_KINDS.has(op.kind)) removedListed = true;
      if (op.kind === 'channel' && op.agent) removedChannelAgents.add(op.agent);
      continue;
    }
    const unit = op.unit ? units.get(op.unit) : undefined;
    if (unit) imported.add(unit.path);
  }
  return { imported, removed, removedListed, removedChannelAgents };
}

export async function verifyDeploy(prepared: PreparedPlan, call: Call, mask: (t: string) => string): Promise<Verification> {
  const { imported, removed, removedListed, removedChannelAgents } = touchedObjects(prepared);
  const policy = prepared.target.policy;
  const expected = expectedObjects(prepared.head, { listable: true }).objects.filter((o) => imported.has(o.path));
  const agents = new Map(expected.filter((o) => o.kind === 'agent').map((o) => [o.name, o]));
  const listable = removedListed || expected.some((o) => SEPARATELY_LISTED_KINDS.has(o.kind));
  const channelAgents = [
    ...new Set([...expected.filter((o) => o.kind === 'channel' && o.agent).map((o) => o.agent!), ...removedChannelAgents]),
  ];
  const live = await readLiveState(call, {
    exportAgents: (listed) => listed.filter((a) => agents.has(a.name)).map((a) => ({ name: a.name, kind: a.kind })),
    ...(listable ? { listable: { channelsOf: () => channelAgents.map((agent) => ({ agent, env: prepared.plan.stage })) } } : {}),
  });
  const items = compareLive(expected, live, {
    provided: providedNames(policy),
    credentialKeys: policy.secrets.credential_keys,
    mask,
    stage: prepared.plan.stage,
  }).filter((i) => (i.state === 'unmanaged' ? removed.has(`${i.kind}:${i.name}`) : true));
  return { ok: items.length === 0, checked: expected.length + removed.size, items };
}
