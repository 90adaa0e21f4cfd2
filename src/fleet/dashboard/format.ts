// Numbers and times the way the pages show them.

export function formatTime(iso: string | null): string {
  if (iso === null || iso === '') return '—';
  return iso.replace('T', ' ').replace(/:\d\d\.\d+Z$|:\d\dZ$/u, ' UTC');
}

export function formatAge(iso: string | null, asOf: Date): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, (asOf.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 90) return 'just now';
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)} %`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${ratio.toFixed(1)}×`;
}
