// Quectel firmware revision strings, e.g. `EC25AFAR05A04M4G` (ATI / AT+GMR) or
// `EG25GGBR07A08M2G_30.203.30.203` (AT+QGMR). Quectel publishes no grammar: the structure below
// is inferred from real strings (quectel-ec25.md §2.9) and ModemManager's helper, which reads
// R<nn>A<nn> as release baseline and minor.

export interface FirmwareRevision {
  /** The whole string as the module printed it. */
  readonly raw: string;
  /** The part without the QGMR suffix, e.g. EC25AFAR05A04M4G. */
  readonly main: string;
  /** Module family, e.g. EC25, EG25, EC21, EG91, EG95, EC20. */
  readonly model: string;
  /**
   * The letters between the model and `R<nn>`, e.g. `AFA` in EC25AFAR05A04M4G. Their meaning is not
   * published (UNVERIFIED, §2.9): the first letter(s) follow the module's order code (E, A, AU, J, V,
   * G…), the rest name a feature set or customer build. Treat as an opaque token.
   */
  readonly variant: string;
  /** `R05` → 5: the release baseline. Flashing across baselines bricks modules (§2.9, §5.1). */
  readonly baseline: number;
  /** `A04` → 4: the minor/patch within the baseline. */
  readonly minor: number;
  /** `M4G`, `M2G`, `M1G`, `E2G`: a memory/flash configuration code (meaning inferred, UNVERIFIED). */
  readonly memoryCode: string;
  /** The QGMR `_aa.bbb.cc.ddd` suffix: modem version.minor + AP version.minor, if present. */
  readonly suffix?: string;
}

const pattern = /^(?<model>E[CGM]\d{2})(?<variant>[A-Z]+?)R(?<baseline>\d{2})A(?<minor>\d{2})(?<memory>[A-Z]\d[A-Z])(?:_(?<suffix>\d+(?:\.\d+)+))?$/;

/** Parses a revision string; undefined when it does not have the R<nn>A<nn> shape. */
export function parseRevision(raw: string): FirmwareRevision | undefined {
  const text = raw.trim();
  const match = pattern.exec(text);
  const groups = match?.groups;
  if (groups === undefined) return undefined;
  const { model, variant, baseline, minor, memory, suffix } = groups;
  if (model === undefined || variant === undefined || baseline === undefined || minor === undefined || memory === undefined) return undefined;
  const main = suffix === undefined ? text : text.slice(0, text.length - suffix.length - 1);
  return {
    raw: text,
    main,
    model,
    variant,
    baseline: Number(baseline),
    minor: Number(minor),
    memoryCode: memory,
    ...(suffix === undefined ? {} : { suffix }),
  };
}

/** `R05A04`: how people name a firmware in forum threads and release notes. */
export function formatBaseline(revision: FirmwareRevision): string {
  return `R${String(revision.baseline).padStart(2, '0')}A${String(revision.minor).padStart(2, '0')}`;
}
