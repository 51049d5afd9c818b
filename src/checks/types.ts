import type { FileKind } from '../policy/model.js';
import type { ResourceDecl, ResourceKind, ResourceRef } from '../kinds/types.js';
import type { Located } from '../yaml/textPosition.js';

export type Severity = 'error' | 'warning';
/** What a reference can point at: a resource, a file (a knowledge-base document), a values key. */
export type TargetKind = ResourceKind | 'file' | 'value';
/** Rule ids of the policy plus `suppression` (stale ignore comments and allowlist entries). */
import type { FindingRule } from '../policy/rules.js';
export type { FindingRule };

export interface Finding {
  rule: FindingRule;
  severity: Severity;
  message: string;
  hint?: string;
  /** Repository-relative path; absent for findings about refs (branch and tag names). */
  file?: string;
  /** The branch, tag or merge (`a → b`) a ref finding is about. */
  ref?: string;
  line?: number;
  column?: number;
  /** HMAC-SHA256 (or plain SHA-256 without a key) of the matched value: the key of allowlist suppressions. */
  hash?: string;
  /** An allowlist entry holding this value's plain SHA-256 (see findingHash); never in a report. */
  legacySuppression?: string;
  /** Commit the finding was seen in (range scans of secrets). */
  commit?: string;
  /** Set when an allowlist entry or inline comment suppressed the finding (kept for reports). */
  suppressed?: string;
}

export type { Located } from '../yaml/textPosition.js';

/** tenant.yaml's `orchestrate:` settings with their positions: compared with the policy's tenant. */
export type TenantOrchestrateFacts = Partial<Record<'env_name' | 'url' | 'auth_type', { value: string } & Located>>;

/** What the repository-wide rules need to know about one file, without re-reading it. */
export interface FileFacts {
  kind?: FileKind;
  resources: (Omit<ResourceDecl, 'anchor'> & Located)[];
  refs: (Omit<ResourceRef, 'anchor'> & Located)[];
  /** Tenant-scoped files: the tenant they declare (null: none declared). */
  tenant?: { name: string | null; orchestrate?: TenantOrchestrateFacts } & Located;
  /** values.yaml: every key path (a.b.c) it defines. */
  valueKeys?: string[];
  /** `${values.x}` placeholders used by the file. */
  valueRefs?: ({ key: string } & Located)[];
  /**
   * Facts from the cache only, where `refs` keeps just the agent-to-agent references and
   * `valueRefs` is left out: what the other references point at, as hashes (referenceHashes). A
   * file that points at something a change removed is analysed again for the positions.
   */
  refHashes?: string;
}

export interface FileResult {
  path: string;
  /** The blob analysed, when git knows it (index and commit snapshots): the facts cache key. */
  oid?: string;
  findings: Finding[];
  facts: FileFacts;
}
