import type { ResolvedAnalyticsOptions, UnitAssessment, UnitHistory } from '../../analytics/index.js';
import { riskFactors } from '../../analytics/index.js';
import { dailyColumns, lineChart } from '../charts.js';
import { formatAge, formatTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { eventSummary, eventTone } from './event-summary.js';
import { connectionDot, healthBadge, scoreBar, tagList } from './unit-badges.js';

/** quectel-ec25.md §8.1: the module browns out below ~3.3 V (medium confidence). */
const BROWN_OUT_MV = 3300;
const cfunSaturation = riskFactors.find((factor) => factor.id === 'cfun-toggle')?.saturation ?? 30;

function none(text = '—'): SafeHtml {
  return html`<span class="muted">${text}</span>`;
}

export function unitPage(unit: UnitAssessment, history: UnitHistory, context: { readonly operator: string; readonly options: ResolvedAnalyticsOptions }): SafeHtml {
  const { options } = context;
  const reasons = unit.reasons.map(
    (reason) => html`<tr>
  <td>${reason.label}</td><td class="num">${reason.count}</td><td class="num">${reason.rate} / ${reason.per}</td>
  <td class="num"><b>${reason.contribution}</b> <span class="muted">of ${reason.weight}</span></td>
  <td class="muted small">${reason.why}</td>
</tr>`,
  );
  const lost = history.registration.filter((entry) => !entry.registered).length;
  return page(
    unit.id,
    html`<main>
<p class="small"><a href="/">← Fleet overview</a></p>
<h1 id="unit-id">${connectionDot(unit)}${unit.id} ${healthBadge(unit.health)}</h1>
<p class="sub">${unit.failures.length > 0 ? html`<b style="color:var(--fail)">${unit.failures.join(' · ')}</b> · ` : ''}${unit.events} events · last ${formatAge(unit.lastEventAt, options.asOf)} · observed ${unit.observedDays} days of the last ${options.windowDays}</p>
<div class="grid2 wide-left">
<section class="panel">
  <h2>Risk score ${scoreBar(unit, options.atRiskScore)}</h2>
  <table id="reasons"><thead><tr><th>Factor</th><th class="num">Count</th><th class="num">Rate</th><th class="num">Points</th><th>Why it matters</th></tr></thead><tbody>${reasons}</tbody></table>
</section>
<section class="panel">
  <h2>Unit</h2>
  <dl class="facts">
    <dt>Batch</dt><dd>${unit.batch ?? none()}</dd>
    <dt>Firmware</dt><dd class="mono">${unit.revision ?? none()}</dd>
    <dt>Tags</dt><dd>${unit.tags.length === 0 ? none() : tagList(unit.tags)}</dd>
    <dt>IMEI</dt><dd class="mono">${unit.imei ?? none('no production record')}</dd>
    <dt>Produced</dt><dd>${unit.producedOn ?? none()}</dd>
    <dt>Connection</dt><dd>${unit.connection ?? none('no MQTT status')}</dd>
    <dt>Last event</dt><dd>${formatTime(unit.lastEventAt)}</dd>
    <dt>Reflashes</dt><dd>${unit.reflashes}</dd>
  </dl>
</section>
</div>
<section class="panel">
  <h2>VBAT <span class="muted small">(mV; red dots: dips below the threshold; dashed: ~3.3 V brown-out, quectel-ec25.md §8.1)</span></h2>
  <div id="vbat-chart">${lineChart(
    history.vbat.map((sample) => ({ at: sample.at, value: sample.mV })),
    { unit: 'mV', label: 'VBAT samples', width: 1160, height: 250, marks: history.dips.map((dip) => ({ at: dip.at, value: dip.mV })), reference: { value: BROWN_OUT_MV, label: '3.3 V' } },
  )}</div>
</section>
<div class="grid2">
<section class="panel">
  <h2>CFUN toggles per day <span class="muted small">(allowed 0↔1; dashed: ${cfunSaturation}/day)</span></h2>
  ${dailyColumns(history.cfunPerDay.map((day) => ({ day: day.day, value: day.toggles })), { label: 'CFUN toggles', width: 520, limit: cfunSaturation })}
</section>
<section class="panel">
  <h2>Network</h2>
  <p>${lost} registration ${lost === 1 ? 'loss' : 'losses'} in the window. <span class="muted small">Signal strength is not among the guard's events yet (GAP: no RSRP/CSQ event type in src/guard/events).</span></p>
  <h2 style="margin-top:16px">Boots <span class="muted small">(newest first)</span></h2>
  ${history.boots.length === 0 ? html`<p class="empty">No boots in the window.</p>` : html`<table id="boots"><thead><tr><th>When</th><th>Reason</th><th>Detail</th></tr></thead><tbody>${history.boots.slice(0, 8).map((boot) => html`<tr><td class="small">${formatTime(boot.at)}</td><td><span class="type ${boot.reason === 'unexpected-rdy' || boot.reason === 'recovered-from-edl' ? 'bad' : ''}">${boot.reason}</span></td><td class="small muted">${boot.detail ?? ''}</td></tr>`)}</tbody></table>`}
</section>
</div>
<section class="panel">
  <h2>Rework history <span class="muted small">(imported from medic log --json)</span></h2>
  ${history.rework.length === 0 ? html`<p class="empty">No rework records for this unit.</p>` : html`<table id="rework"><thead><tr><th>When</th><th>Command</th><th>Outcome</th><th>Firmware after</th><th>Cause</th><th>Next</th></tr></thead><tbody>${history.rework.map((entry) => html`<tr><td class="small">${formatTime(entry.time)}</td><td class="mono">${entry.command}</td><td>${entry.outcome}</td><td class="mono">${entry.revisionAfter ?? ''}</td><td>${entry.cause ?? ''}</td><td class="small">${entry.next ?? ''}</td></tr>`)}</tbody></table>`}
</section>
<section class="panel">
  <h2>Event timeline <span class="muted small">(newest ${history.events.length})</span></h2>
  ${history.events.length === 0 ? html`<p class="empty">No events yet.</p>` : html`<table id="timeline" class="timeline"><thead><tr><th>When</th><th>Seq</th><th>Type</th><th>What</th></tr></thead><tbody>${history.events.map((event) => html`<tr><td class="small">${formatTime(event.wallTime)}</td><td class="num muted small">${event.seq}</td><td><span class="type ${eventTone(event)}">${event.type}</span></td><td class="small">${eventSummary(event)}</td></tr>`)}</tbody></table>`}
</section>
</main>`,
    { operator: context.operator, section: 'unit' },
  );
}
