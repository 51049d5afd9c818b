import picomatch from 'picomatch';
import { hints, messages } from '../messages.js';
import { POLICY_FILE } from '../policy/model.js';
import type { Suppression } from '../policy/model.js';
import type { Finding } from './types.js';

/**
 * Two ways to accept a finding: an inline comment on (or above) the line, and an allowlist entry
 * in the policy keyed by rule and the hash of the matched value (it survives line moves and
 * rebases). Suppressions that no longer suppress anything, or have expired, are findings too.
 */
export interface InlineIgnore {
  /** The line whose findings it suppresses. */
  target: number;
  line: number;
  column: number;
  rules: string[] | '*';
  used: boolean;
}

const DIRECTIVE = /wxo-policy-ignore(-next-line)?(?:[ \t]+(?!--)([A-Za-z0-9_,\- ]*?))?[ \t]*(?:--[^\n]*)?$/gm;

export function parseInlineIgnores(text: string, positionOf: (offset: number) => { line: number; column: number }): InlineIgnore[] {
  if (!text.includes('wxo-policy-ignore')) return [];
  const out: InlineIgnore[] = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const pos = positionOf(m.index!);
    const rules = (m[2] ?? '').split(/[ ,]+/).filter(Boolean);
    out.push({
      target: m[1] ? pos.line + 1 : pos.line,
      line: pos.line,
      column: pos.column,
      rules: rules.length ? rules : '*',
      used: false,
    });
  }
  return out;
}

export function applyInlineIgnores(findings: Finding[], ignores: InlineIgnore[], file: string): Finding[] {
  if (ignores.length === 0) return findings;
  for (const f of findings) {
    const ignore = ignores.find((i) => i.target === f.line && (i.rules === '*' || i.rules.includes(f.rule)));
    if (ignore) {
      ignore.used = true;
      f.suppressed = `inline comment at line ${ignore.line}`;
    }
  }
  const stale = ignores
    .filter((i) => !i.used)
    .map<Finding>((i) => ({
      rule: 'suppression',
      severity: 'warning',
      file,
      line: i.line,
      column: i.column,
      message: `wxo-policy-ignore${i.rules === '*' ? '' : ` ${i.rules.join(',')}`} suppresses nothing`,
      hint: hints.suppression,
    }));
  return [...findings, ...stale];
}

/** Where the i-th allowlist entry is in the policy file, for findings about it. */
export type EntryLocator = (index: number) => { file: string; line: number; column: number };

/**
 * Applies the policy allowlist. `complete` says whether every file was checked; only then is an
 * entry that matched nothing reported as unused. `locate` is asked only for entries reported.
 */
export function applyAllowlist(
  findings: Finding[],
  entries: readonly Suppression[],
  today: string,
  complete: boolean,
  locate: EntryLocator = () => ({ file: POLICY_FILE, line: 1, column: 1 }),
): Finding[] {
  const out = [...findings];
  const migrations = new Set<number>();
  for (const [index, entry] of entries.entries()) {
    const inPath = entry.path ? picomatch(entry.path, { dot: true }) : () => true;
    const expired = entry.expires !== undefined && entry.expires < today;
    let used = false;
    for (const f of findings) {
      const legacy = f.legacySuppression === entry.hash;
      if (f.suppressed || f.rule !== entry.rule || !(f.hash?.startsWith(entry.hash) || legacy) || (f.file && !inPath(f.file))) continue;
      used = true;
      if (!expired) f.suppressed = `allowlisted: ${entry.reason}`;
      if (legacy && !expired && !migrations.has(index)) {
        migrations.add(index);
        out.push({
          rule: 'suppression',
          severity: 'warning',
          ...locate(index),
          message: messages.suppressionPlainHash(entry.hash.slice(0, 12), entry.rule, f.hash!.slice(0, 16)),
          hint: hints.suppression,
        });
      }
    }
    if (expired) {
      out.push({
        rule: 'suppression',
        severity: 'warning',
        ...locate(index),
        message: `suppression ${entry.hash.slice(0, 12)} (${entry.rule}) expired on ${entry.expires}${used ? ': its finding is reported again' : ''}`,
        hint: hints.suppression,
      });
    } else if (!used && complete) {
      out.push({
        rule: 'suppression',
        severity: 'warning',
        ...locate(index),
        message: `suppression ${entry.hash.slice(0, 12)} (${entry.rule}) matches no finding`,
        hint: hints.suppression,
      });
    }
  }
  for (const f of out) delete f.legacySuppression; // done its work: reports never carry it
  return out;
}
