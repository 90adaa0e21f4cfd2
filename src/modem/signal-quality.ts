// Plain words for LTE signal figures. The bands are the usual rules of thumb of LTE field
// engineering (RSRP/RSRQ/SINR), not Quectel figures: no fact sheet gives limits.

export type Quality = 'excellent' | 'good' | 'fair' | 'poor' | 'no signal';

export function rsrpQuality(dbm: number): Quality {
  if (dbm >= -80) return 'excellent';
  if (dbm >= -90) return 'good';
  if (dbm >= -100) return 'fair';
  if (dbm >= -120) return 'poor';
  return 'no signal';
}

export function rsrqQuality(db: number): Quality {
  if (db >= -10) return 'excellent';
  if (db >= -15) return 'good';
  if (db >= -20) return 'fair';
  return 'poor';
}

export function sinrQuality(db: number): Quality {
  if (db >= 20) return 'excellent';
  if (db >= 13) return 'good';
  if (db >= 0) return 'fair';
  return 'poor';
}

/** For AT+CSQ's RSSI in dBm when no LTE serving-cell figures are available. */
export function rssiQuality(dbm: number): Quality {
  if (dbm >= -65) return 'excellent';
  if (dbm >= -75) return 'good';
  if (dbm >= -85) return 'fair';
  if (dbm >= -111) return 'poor';
  return 'no signal';
}

const order: readonly Quality[] = ['no signal', 'poor', 'fair', 'good', 'excellent'];

/** The worse of two qualities: a strong but noisy signal is as good as its noise allows. */
export function worseOf(a: Quality, b: Quality): Quality {
  return order.indexOf(a) <= order.indexOf(b) ? a : b;
}
