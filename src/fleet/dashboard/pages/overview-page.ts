import type { FleetOverview, UnitFilter } from '../../analytics/index.js';
import { formatAge } from '../format.js';
import { html, queryString, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { connectionDot, healthBadge, scoreBar, tagList, unitLink } from './unit-badges.js';

function options(values: readonly string[], selected: string | undefined, all: string): SafeHtml {
  return html`<option value="">${all}</option>${values.map((value) => html`<option value="${value}"${selected === value ? html` selected` : ''}>${value}</option>`)}`;
}

const statusChoices = [
  ['', 'any status'],
  ['online', 'online'],
  ['offline', 'offline'],
  ['at-risk', 'at risk'],
  ['failed', 'failed (reflash or silent)'],
  ['silent', 'silent'],
  ['ok', 'ok'],
  ['never-seen', 'never seen'],
] as const;

/** Rows on one page: a table of 10,000 units is a second to render and nobody reads it; filters narrow it. */
export const OVERVIEW_ROWS = 500;

export function overviewPage(overview: FleetOverview, filter: UnitFilter, operator: string): SafeHtml {
  const { counts } = overview;
  const asOf = new Date(overview.asOf);
  const card = (n: number, label: string, tone: string, status: string): SafeHtml => html`<a class="card ${tone}" href="/${queryString({ status })}"><div class="n">${n}</div><div class="l">${label}</div></a>`;
  const rows = overview.units.slice(0, OVERVIEW_ROWS).map(
    (unit) => html`<tr>
  <td>${connectionDot(unit)}${unitLink(unit.id)}</td>
  <td>${healthBadge(unit.health)}</td>
  <td>${scoreBar(unit, overview.options.atRiskScore)}</td>
  <td class="small">${unit.reasons[0] !== undefined && unit.reasons[0].contribution > 0 ? `${unit.reasons[0].label}: ${unit.reasons[0].rate.toFixed(1)}/${unit.reasons[0].per}` : html`<span class="muted">—</span>`}</td>
  <td>${unit.batch ?? html`<span class="muted">—</span>`}</td>
  <td class="mono">${unit.revision ?? html`<span class="muted">—</span>`}</td>
  <td>${tagList(unit.tags)}</td>
  <td class="muted small" title="${unit.lastEventAt ?? ''}">${formatAge(unit.lastEventAt, asOf)}</td>
</tr>`,
  );
  const filtered = Object.values(filter).some((value) => value !== undefined && value !== '');
  return page(
    'Fleet overview',
    html`<main>
<h1>Fleet overview</h1>
<p class="sub">${counts.units} units · rates over the last ${overview.options.windowDays} days · silent after ${overview.options.silentDays} days without an event · as of ${overview.asOf.slice(0, 16).replace('T', ' ')} UTC</p>
<section class="cards">
  ${card(counts.online, 'online', 'ok', 'online')}
  ${card(counts.offline, 'offline', 'off', 'offline')}
  ${card(counts.silent, 'silent', 'silent', 'silent')}
  ${card(counts.atRisk, 'at risk', 'risk', 'at-risk')}
  ${card(counts.failed, 'failed (reflash or silent)', 'fail', 'failed')}
</section>
<section class="panel">
<form class="filters" method="get" action="/">
  <input type="search" name="q" placeholder="Search unit, batch, revision, tag, IMEI" value="${filter.q ?? ''}" aria-label="search">
  <select name="batch" aria-label="batch">${options(overview.facets.batches, filter.batch, 'all batches')}</select>
  <select name="revision" aria-label="revision">${options(overview.facets.revisions, filter.revision, 'all revisions')}</select>
  <select name="tag" aria-label="tag">${options(overview.facets.tags, filter.tag, 'all tags')}</select>
  <select name="status" aria-label="status">${statusChoices.map(([value, label]) => html`<option value="${value}"${filter.status === value ? html` selected` : ''}>${label}</option>`)}</select>
  <button class="primary" type="submit">Filter</button>
  ${filtered ? html`<a class="reset" href="/">clear</a>` : ''}
</form>
${
  overview.units.length === 0
    ? html`<p class="empty">${counts.units === 0 ? 'No units yet: add one with medic fleet unit add or POST /api/v1/units.' : 'No unit matches these filters.'}</p>`
    : html`<table id="units">
<thead><tr><th>Unit</th><th>Status</th><th>Risk</th><th>Top factor</th><th>Batch</th><th>Revision</th><th>Tags</th><th>Last event</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="muted small">${Math.min(OVERVIEW_ROWS, overview.units.length)} of ${overview.units.length} matching units shown (${counts.units} in the fleet), worst first${overview.units.length > OVERVIEW_ROWS ? ': search or filter to see the others' : ''}.</p>`
}
</section>
</main>`,
    { operator, section: 'overview' },
  );
}
