import type { FleetAnalysis, GroupFailureRate, UnitFilter } from '../../analytics/index.js';
import { MIN_FAILURES, MIN_GROUP_UNITS } from '../../analytics/index.js';
import { barChart } from '../charts.js';
import { formatRate, formatRatio } from '../format.js';
import { html, queryString, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

function weak(evidence: string): SafeHtml {
  return evidence === 'fair' ? html`` : html` <span class="weak" title="fewer than ${MIN_GROUP_UNITS} units on a side or ${MIN_FAILURES} failures in all">${evidence === 'none' ? 'no comparison' : 'few units'}</span>`;
}

function groupTable(id: string, title: string, groups: readonly GroupFailureRate[], link: (group: string) => string): SafeHtml {
  const max = Math.max(0.05, ...groups.map((group) => group.rate ?? 0));
  return html`<section class="panel">
  <h2>${title}</h2>
  ${barChart(
    groups.map((group) => ({ label: group.group, value: group.rate ?? 0, note: `${group.failed} of ${group.units}`, tone: (group.ratioToRest ?? 0) > 1.5 ? 'fail' : 'neutral' })),
    { max, label: title, width: 520, left: 150, format: (value) => formatRate(value) },
  )}
  <table id="${id}"><thead><tr><th></th><th class="num">Units</th><th class="num">Failed</th><th class="num">Failure rate</th><th class="num" title="failure rate of this group / the rest of the fleet">vs rest</th></tr></thead>
  <tbody>${groups.map((group) => html`<tr><td><a href="${link(group.group)}">${group.group}</a></td><td class="num">${group.units}</td><td class="num">${group.failed}</td><td class="num">${formatRate(group.rate)}</td><td class="num">${formatRatio(group.ratioToRest)}${weak(group.evidence)}</td></tr>`)}</tbody></table>
</section>`;
}

export function analysisPage(analysis: FleetAnalysis & { readonly asOf: string }, filter: UnitFilter, operator: string): SafeHtml {
  const strongest = analysis.byFactor.find((row) => row.ratio !== null && row.ratio > 1 && row.evidence !== 'none');
  const maxRate = Math.max(0.05, ...analysis.byFactor.flatMap((row) => [row.atOrAbove.rate ?? 0, row.below.rate ?? 0]));
  const factorBars = analysis.byFactor.flatMap((row) => [
    { label: `≥ ${row.threshold} ${row.label}`, value: row.atOrAbove.rate ?? 0, note: `${row.atOrAbove.failed} of ${row.atOrAbove.units}`, tone: 'fail' as const },
    { label: `< ${row.threshold}`, value: row.below.rate ?? 0, note: `${row.below.failed} of ${row.below.units}`, tone: 'ok' as const },
  ]);
  const filtered = Object.values(filter).some((value) => value !== undefined && value !== '');
  return page(
    'Failure analysis',
    html`<main>
<h1>Failure analysis</h1>
<p class="sub">${analysis.units} units heard from${filtered ? ' (filtered)' : ''} · ${analysis.failed} failed (${analysis.needsReflash} needed a reflash, ${analysis.silent} went silent) · fleet failure rate ${formatRate(analysis.fleetRate)} · as of ${analysis.asOf.slice(0, 16).replace('T', ' ')} UTC</p>
${strongest === undefined ? html`<section class="panel"><p class="finding">No risk factor separates failed units from the rest yet.</p></section>` : html`<section class="panel"><p class="finding" id="headline">Strongest signal: <b>${strongest.finding}</b>${weak(strongest.evidence)}</p><p class="muted small">A failure is a unit that needed a reflash (rework record, or found in EDL) or went silent. Rates are per unit over the days it reported; correlation, not proof — read the counts.</p></section>`}
<section class="panel">
  <h2>Failure rate by risk factor</h2>
  ${barChart(factorBars, { max: maxRate, label: 'failure rate by risk factor', width: 760, format: (value) => formatRate(value) })}
  <table id="factors"><thead><tr><th>Factor</th><th class="num">≥ threshold: failed / units</th><th class="num">rate</th><th class="num">below: failed / units</th><th class="num">rate</th><th class="num">ratio</th><th>Finding</th></tr></thead>
  <tbody>${analysis.byFactor.map((row) => html`<tr><td>≥ ${row.threshold} ${row.label} / ${row.per}</td><td class="num">${row.atOrAbove.failed} / ${row.atOrAbove.units}</td><td class="num">${formatRate(row.atOrAbove.rate)}</td><td class="num">${row.below.failed} / ${row.below.units}</td><td class="num">${formatRate(row.below.rate)}</td><td class="num"><b>${formatRatio(row.ratio)}</b>${weak(row.evidence)}</td><td class="small">${row.finding}</td></tr>`)}</tbody></table>
</section>
<div class="grid2">
${groupTable('revisions', 'By firmware revision', analysis.byRevision, (group) => `/${queryString({ revision: group })}`)}
${groupTable('batches', 'By production batch', analysis.byBatch, (group) => `/${queryString({ batch: group })}`)}
</div>
</main>`,
    { operator, section: 'analysis' },
  );
}
