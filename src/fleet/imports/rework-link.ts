import type { SqlQueryable } from '../store/executor.js';

// A rework record names a unit by what the bench could read: the IMEI (AT+GSN) or, for a unit that
// only shows 9008, the Sahara chip serial (src/diagnose/rework-log/README.md). The fleet knows
// units by id; production records tie ids to the IMEI and chip serial. A unit id equal to the IMEI
// or serial also matches (fleets that use the IMEI as unit id).
const LINK = `
UPDATE rework_records r SET unit = m.unit
FROM (
  SELECT r2.id, coalesce(
    (SELECT u.id FROM units u WHERE u.id = r2.imei OR u.id = r2.serial LIMIT 1),
    (SELECT p.unit FROM production_records p WHERE (r2.imei IS NOT NULL AND p.imei = r2.imei) OR (r2.serial IS NOT NULL AND p.serial = r2.serial) ORDER BY p.unit LIMIT 1)
  ) AS unit
  FROM rework_records r2 WHERE r2.unit IS NULL
) m
WHERE r.id = m.id AND m.unit IS NOT NULL
RETURNING r.id`;

/** Ties unlinked rework records to units; returns how many it tied. */
export async function relinkReworkRecords(db: SqlQueryable): Promise<number> {
  return (await db.query(LINK)).length;
}
