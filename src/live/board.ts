import type { EnvironmentStatus } from '../deploy/status.js';
import { messages } from '../messages.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { DriftStateRecord } from './drift.js';
import type { DeployRecord } from './record.js';

/**
 * The status board: one self-contained HTML page (no script, no network, no font or CDN — inline
 * CSS only), one column per environment along the promotion path. Every state is said in words
 * and a symbol as well as a colour (✔ ok, ✖ problem, ? unknown), and the page prints on A4
 * landscape in black and white. Pure: status in, HTML out.
 */
export interface BoardInput {
  repository: string;
  generatedAt: string;
  environments: readonly EnvironmentStatus[];
  records: ReadonlyMap<string, DeployRecord>;
  drift: ReadonlyMap<string, DriftStateRecord>;
  /** Version per branch name (from the branch name or the deploy record). */
  versions: ReadonlyMap<string, string>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** Only http(s) links become links: a build URL is data from a tag message. */
const link = (url: string, text: string) => (/^https?:\/\//i.test(url) ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text));

type Tone = 'ok' | 'warn' | 'bad' | 'none';
const SYMBOL: Record<Tone, string> = { ok: '✔', warn: '!', bad: '✖', none: '?' };
const badge = (tone: Tone, text: string, test: string) =>
  `<span class="badge ${tone}" data-test="${test}" data-state="${tone}"><span class="sym" aria-hidden="true">${SYMBOL[tone]}</span> ${esc(text)}</span>`;

function row(label: string, value: string, test: string): string {
  return `<div class="row" data-test="${test}"><dt>${esc(label)}</dt><dd>${value}</dd></div>`;
}

const w = messages.board;

function driftBadge(d: DriftStateRecord | undefined): string {
  if (!d) return badge('none', w.notChecked, 'drift');
  const checked = shortTime(d.checkedAt);
  if (d.verdict === 'in-sync') return badge('ok', w.inSync(checked), 'drift');
  if (d.verdict === 'drift') return badge('bad', w.drifted(d.drifted.length, checked), 'drift');
  return badge('none', w.couldNotTell(checked), 'drift');
}

const shortTime = (iso: string) =>
  Number.isNaN(Date.parse(iso))
    ? iso
    : new Date(iso)
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d(\.\d+)?Z$/, ' UTC');

function column(e: EnvironmentStatus, input: BoardInput): string {
  const drift = input.drift.get(e.environment);
  const parts: string[] = [];
  parts.push(
    `<header><h2>${esc(e.environment)}</h2><span class="stage ${e.stage}" data-test="stage">${esc(w.stage(e.stage === 'live'))}</span></header>`,
  );
  parts.push(
    `<dl class="env">${row(w.tenant, esc(e.tenant), 'tenant')}${row(w.branch, `<code>${esc(e.branchPattern)}</code>`, 'pattern')}${row(w.drift, driftBadge(drift), 'drift-row')}</dl>`,
  );
  if (drift?.verdict === 'drift' && drift.drifted.length) {
    parts.push(
      `<ul class="drifted" data-test="drifted">${drift.drifted
        .slice(0, 12)
        .map((d) => `<li>${esc(d)}</li>`)
        .join('')}${drift.drifted.length > 12 ? `<li>${esc(w.moreDrifted(drift.drifted.length - 12))}</li>` : ''}</ul>`,
    );
  }
  if (!e.branches.length) parts.push(`<p class="empty" data-test="no-branch">${esc(w.noBranch)}</p>`);
  for (const b of e.branches) {
    const record = b.lastDeploy ? input.records.get(b.lastDeploy.tag) : undefined;
    const version = input.versions.get(b.name) ?? record?.version;
    const rows: string[] = [];
    rows.push(
      row(
        w.head,
        `<code>${esc(b.head.slice(0, 12))}</code>${b.ahead !== undefined ? esc(w.aheadBehind(b.ahead, b.behind ?? 0)) : ''}`,
        'head',
      ),
    );
    if (version) rows.push(row(w.version, esc(version), 'version'));
    if (b.lastDeploy) {
      rows.push(
        row(
          w.lastDeploy,
          `<code data-test="tag">${esc(b.lastDeploy.tag)}</code> → <code>${esc(b.lastDeploy.commit.slice(0, 12))}</code>`,
          'last-deploy',
        ),
      );
      const when = record?.finished ?? b.lastDeploy.date;
      const who = [
        record?.by ? w.by(record.by) : '',
        w.at(shortTime(when)),
        record?.durationSeconds !== undefined ? w.took(record.durationSeconds) : '',
      ]
        .filter(Boolean)
        .join(' ');
      rows.push(row(w.whoWhen, esc(who), 'who'));
      if (record?.build) rows.push(row(w.build, link(record.build, record.build.replace(/^https?:\/\//, '')), 'build'));
    } else {
      rows.push(row(w.lastDeploy, badge('none', w.neverDeployed, 'never'), 'last-deploy'));
    }
    rows.push(
      row(
        w.waitingForDeploy,
        b.undeployed ? badge('warn', w.commits(b.undeployed), 'undeployed') : badge('ok', w.none, 'undeployed'),
        'undeployed-row',
      ),
    );
    for (const p of b.promotions) {
      const value =
        p.waiting === null
          ? badge('none', w.branchMissing(p.branch), 'promotion')
          : p.waiting
            ? badge('warn', w.commitsTo(p.waiting, p.branch), 'promotion')
            : badge('ok', w.noneTo(p.branch), 'promotion');
      rows.push(row(w.waitingFor(p.environment), value, 'promotion-row'));
    }
    const t = b.tenantBinding;
    rows.push(
      row(
        w.tenantBinding,
        t.state === 'ok'
          ? badge('ok', w.bindingOk, 'binding')
          : badge('bad', t.state === 'missing' ? w.noTenantFile : w.bindingMismatch(t.problems.length), 'binding'),
        'binding-row',
      ),
    );
    const where = [b.local ? 'local' : '', b.remote ? 'remote' : ''].filter(Boolean).join(' + ');
    parts.push(
      `<section class="branch" data-test="branch" data-branch="${esc(b.name)}"><h3><code>${esc(b.name)}</code> <small>${esc(where)}</small></h3><dl>${rows.join('')}</dl></section>`,
    );
  }
  return `<article class="column" data-test="environment" data-environment="${esc(e.environment)}" aria-label="${esc(w.environment(e.environment))}">${parts.join('')}</article>`;
}

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;padding:16px;color:#1b1b1b;background:#f4f5f7}
h1{font-size:20px;margin:0 0 4px}
.meta{color:#555;margin:0 0 16px}
.board{display:grid;grid-template-columns:repeat(var(--columns),minmax(220px,1fr));gap:12px;align-items:start}
.column{background:#fff;border:1px solid #c9ccd1;border-radius:6px;padding:10px;position:relative}
.column+.column::before{content:"→";position:absolute;left:-12px;top:12px;color:#777;font-weight:bold}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:2px solid #1b1b1b;margin-bottom:8px}
h2{font-size:18px;margin:0}
h3{font-size:14px;margin:10px 0 4px}
h3 small{color:#666;font-weight:normal}
.stage{font-size:11px;font-weight:bold;letter-spacing:.05em;padding:1px 6px;border:1px solid #1b1b1b;border-radius:3px}
.stage.live{background:#1b1b1b;color:#fff}
dl{margin:0}
.row{display:grid;grid-template-columns:9.5em 1fr;gap:6px;padding:2px 0;border-top:1px dotted #ddd}
dt{color:#555}
dd{margin:0;overflow-wrap:anywhere}
code{font:12px ui-monospace,"DejaVu Sans Mono",monospace}
.badge{display:inline-block;padding:0 6px;border-radius:3px;border:1px solid;font-weight:600}
.badge .sym{font-weight:bold}
.ok{color:#0b5d1e;background:#e3f4e6;border-color:#0b5d1e}
.warn{color:#6b4b00;background:#fff4d6;border-color:#8a6100}
.bad{color:#8b0000;background:#fde7e7;border-color:#8b0000}
.none{color:#444;background:#eee;border-color:#777;border-style:dashed}
.drifted{margin:4px 0 0;padding-left:18px;color:#8b0000;font-size:12px}
.empty{color:#666;font-style:italic}
.legend{margin-top:16px;color:#444;font-size:12px}
a{color:#0b3d91}
@media print{
  @page{size:A4 landscape;margin:10mm}
  body{background:#fff;padding:0;font-size:11px}
  .column{break-inside:avoid;border-color:#000}
  .badge{background:none!important;color:#000!important;border-color:#000!important}
  a{color:#000;text-decoration:none}
  a[href]::after{content:" (" attr(href) ")";font-size:9px}
}
`;

export function renderBoard(input: BoardInput): string {
  const columns = input.environments.map((e) => column(e, input)).join('\n');
  const counts = { drift: [...input.drift.values()].filter((d) => d.verdict === 'drift').length };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(w.title(input.repository))}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(w.heading(input.repository))}</h1>
<p class="meta" data-test="meta">${esc(w.generated(shortTime(input.generatedAt), TOOL_NAME, TOOL_VERSION))}${counts.drift ? ` <strong data-test="drift-total">${esc(w.driftTotal(counts.drift))}</strong>` : ''}</p>
<main class="board" style="--columns:${Math.max(1, input.environments.length)}" data-test="board">
${columns}
</main>
<p class="legend">${esc(w.legend)} ${badge('ok', w.legendOk, 'legend-ok')} ${badge('warn', w.legendWaiting, 'legend-warn')} ${badge('bad', w.legendProblem, 'legend-bad')} ${badge('none', w.legendUnknown, 'legend-none')} ${esc(w.legendNote)}</p>
</body>
</html>
`;
}
