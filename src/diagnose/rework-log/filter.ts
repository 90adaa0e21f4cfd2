import type { ReworkRecord } from './record.js';

// `medic log --since / --unit`: which records to list.

export interface ReworkFilter {
  readonly since?: Date | undefined;
  /** IMEI, chip serial (with or without 0x, any case) or USB path. */
  readonly unit?: string | undefined;
}

export function filterReworkRecords(records: readonly ReworkRecord[], filter: ReworkFilter): ReworkRecord[] {
  const since = filter.since?.getTime();
  const unit = filter.unit?.trim().toLowerCase().replace(/^0x/, '');
  return records.filter((record) => {
    if (since !== undefined && Date.parse(record.time) < since) return false;
    if (unit === undefined || unit === '') return true;
    const { imei, serial, usbPath } = record.unit;
    return imei === unit || serial?.toLowerCase() === unit.padStart(8, '0') || usbPath?.toLowerCase() === unit;
  });
}
