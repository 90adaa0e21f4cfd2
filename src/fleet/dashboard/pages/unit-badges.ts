import type { UnitAssessment, UnitHealth } from '../../analytics/index.js';
import { html, queryString, type SafeHtml } from '../html.js';

const healthLabel: Readonly<Record<UnitHealth, string>> = { failed: 'needed reflash', silent: 'silent', 'at-risk': 'at risk', ok: 'ok', 'never-seen': 'never seen' };

export function healthBadge(health: UnitHealth): SafeHtml {
  return html`<span class="badge ${health}">${healthLabel[health]}</span>`;
}

export function connectionDot(unit: UnitAssessment): SafeHtml {
  return html`<span class="dot ${unit.connection ?? ''}" title="${unit.connection ?? 'no MQTT status'}"></span>`;
}

export function scoreBar(unit: UnitAssessment, atRiskScore: number): SafeHtml {
  const tone = unit.health === 'failed' ? 'failed' : unit.score >= atRiskScore ? 'high' : '';
  return html`<span class="score ${tone}"><span class="bar"><i style="width:${Math.min(100, unit.score)}%"></i></span>${unit.score}</span>`;
}

export function tagList(tags: readonly string[]): SafeHtml {
  return html`${tags.map((tag) => html`<a class="tag" href="/${queryString({ tag })}">${tag}</a>`)}`;
}

export function unitLink(id: string): SafeHtml {
  return html`<a href="/units/${encodeURIComponent(id)}">${id}</a>`;
}
