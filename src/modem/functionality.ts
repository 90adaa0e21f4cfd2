// AT+CFUN levels (quectel-ec25.md §3.3). 0/1/4 are the manual's; 5 and 7 are observed in the
// field on modules whose RF calibration was lost (5, factory-test mode) or whose firmware
// baseline does not match the calibration (7) — QFORUM/56770, QFORUM/58100.

export interface FunctionLevel {
  readonly level: number;
  readonly meaning: string;
  readonly severity: 'ok' | 'warning' | 'fault';
  readonly why?: string;
  readonly next?: string;
}

export function describeFunctionLevel(level: number): FunctionLevel {
  switch (level) {
    case 1:
      return { level, meaning: 'full functionality', severity: 'ok' };
    case 0:
      return {
        level,
        meaning: 'minimum functionality (RF and SIM off)',
        severity: 'warning',
        why: 'Something switched the radio off. Cycling AT+CFUN=0/1 often is one of the vendor\'s named causes of modules needing a reflash (NV writes).',
        next: 'If nothing should have done that, find the program sending AT+CFUN=0; `AT+CFUN=1` turns the radio back on.',
      };
    case 4:
      return {
        level,
        meaning: 'airplane mode (TX and RX off)',
        severity: 'warning',
        why: 'The radio is off on purpose (AT+CFUN=4 or W_DISABLE#).',
        next: '`AT+CFUN=1` turns the radio back on; check W_DISABLE# if it comes back.',
      };
    case 5:
      return {
        level,
        meaning: 'factory test mode: RF calibration (NV/QCN) missing',
        severity: 'fault',
        why: 'Seen after a power loss during a firmware update or an "erase all" flash: the per-unit RF calibration in EFS is gone, so AT+CFUN=1 fails with +CME ERROR: 3 and there is no signal (QFORUM/56770).',
        next: 'Restore this unit\'s calibration backup (`medic flash --restore-calibration DIR`). Quectel does not supply calibration; without a backup the module needs the vendor.',
      };
    case 7:
      return {
        level,
        meaning: 'calibration and firmware baseline do not match',
        severity: 'fault',
        why: 'Seen after flashing a firmware of another baseline (e.g. R06 → R08) than the one the unit was calibrated with (QFORUM/58100).',
        next: 'Reflash the original baseline (`medic flash` refuses a baseline change unless told), then restore the calibration backup if it is still wrong.',
      };
    default:
      return { level, meaning: 'unknown function level', severity: 'warning', why: `+CFUN: ${level} is not a level the manual or the field reports describe.` };
  }
}
