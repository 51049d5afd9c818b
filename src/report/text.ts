import type { Finding } from '../checks/types.js';
import type { Palette } from './colors.js';
import { plural, type Summary } from './summary.js';

/**
 * `file:line:col severity rule message`, then the fix hint — one finding per line, the way
 * compilers print, so editors and terminals make the location clickable.
 */
export function formatFinding(f: Finding, c: Palette, withHint = true): string {
  const where = f.file ? `${printablePath(f.file)}:${f.line ?? 1}:${f.column ?? 1}` : f.ref ? `[${f.ref}]` : '(repository)';
  const severity = f.severity === 'error' ? c.red('error') : c.yellow('warning');
  const commit = f.commit ? ` ${c.dim(`[commit ${f.commit.slice(0, 12)}]`)}` : '';
  const hash = f.hash ? ` ${c.dim(`(hash ${f.hash.slice(0, 16)})`)}` : '';
  const hint = f.hint && withHint ? `\n    ${c.dim(`fix: ${f.hint}`)}` : '';
  return `${where} ${severity} ${c.bold(f.rule)} ${printableText(f.message)}${commit}${hash}${hint}`;
}

/** Control characters (C0, DEL, C1) and the Unicode line separators. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/**
 * File names may hold newlines, escape sequences or other control characters (a pull request
 * chooses them): they must not add lines to a report nor drive a terminal. Such a name is printed
 * as a JSON string; every report format goes through here.
 */
export function printablePath(path: string): string {
  return CONTROL.test(path) || /["\\]/.test(path) ? JSON.stringify(path).replace(CONTROLS, escapeControl) : path;
}

/** A finding message on one line: control characters (from names it quotes) escaped. */
export function printableText(text: string): string {
  return text.replace(CONTROLS, escapeControl);
}

function escapeControl(ch: string): string {
  return ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One line per unsuppressed finding; each fix hint is shown once, under the first finding that
 * has it (a rule may give different hints for different situations).
 */
export function formatFindings(findings: readonly Finding[], c: Palette): string[] {
  const hinted = new Set<string>();
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => {
      const key = `${f.rule}\0${f.hint ?? ''}`;
      const first = !hinted.has(key);
      hinted.add(key);
      return formatFinding(f, c, first);
    });
}

/** `judged`: what the verdict is about (all files at HEAD, staged changes, the work tree …). */
export function formatText(findings: readonly Finding[], summary: Summary, c: Palette, judged?: string): string {
  return [...formatFindings(findings, c), formatSummary(summary, c, judged)].join('\n') + '\n';
}

export function formatSummary(s: Summary, c: Palette, judged?: string): string {
  const suppressed = s.suppressed ? `, ${s.suppressed} suppressed` : '';
  const what = judged ? c.dim(` — judged: ${judged}`) : '';
  if (s.errors === 0 && s.warnings === 0) return c.green(`✔ no problems in ${plural(s.files, 'file')}${suppressed}`) + what;
  const mark = s.errors ? c.red('✖') : c.yellow('⚠');
  return `${mark} ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.files, 'file')}${suppressed}${what}`;
}
