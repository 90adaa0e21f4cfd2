// The ways an AT exchange fails, each with a stable code and a hint that says what to check next.
// Transport failures are not wrapped: a command on a port that went away rejects with the
// transport's own TransportClosedError (TRANSPORT_DISCONNECTED / TRANSPORT_CLOSED).

import { MedicError, type MedicErrorOptions } from '../../core/errors.js';
import { describeFinal, type FinalResult } from './result-codes.js';

/** The module answered with a final result other than OK/CONNECT. */
export class AtCommandError extends MedicError {
  readonly command: string;
  readonly final: FinalResult;
  /** The response lines that came before the final result. */
  readonly lines: readonly string[];

  constructor(command: string, final: FinalResult, lines: readonly string[], options: MedicErrorOptions = {}) {
    super('AT_COMMAND_ERROR', `${command}: ${describeFinal(final)}`, {
      hint: commandErrorHint(final),
      details: { command, final, lines },
      ...options,
    });
    this.command = command;
    this.final = final;
    this.lines = lines;
  }
}

/** Hints for the CME codes a health check meets; the rest get the table's meaning. */
const CME_HINTS: Readonly<Record<number, string>> = {
  0: 'A generic module failure. Modules whose RF calibration/NV was lost or that were flashed across firmware baselines answer this to AT+CFUN=1; check AT+CFUN? for 5 or 7 (fact sheet §3.3).',
  3: 'The module refuses this in its current state. Check AT+CFUN? (0/4 switch the radio and SIM off; 5 or 7 point to lost calibration or a wrong-baseline flash, fact sheet §3.3). Right after boot, wait for +CPIN before AT+CFUN=4.',
  4: 'This firmware does not support the command or these parameters. Compare with the AT manual for the firmware revision (ATI).',
  10: 'No SIM detected. Check that the SIM is seated and the holder\'s detect switch; AT+QSIMSTAT? reports insertion.',
  11: 'The SIM wants its PIN: enter it with AT+CPIN="<pin>" (three wrong tries lock it to PUK).',
  12: 'The SIM is PUK-locked: unlock it with AT+CPIN="<puk>","<new pin>" or in a phone.',
  13: 'The SIM does not respond properly. Try another SIM; check the SIM contacts and supply.',
  14: 'The SIM is still initialising (right after boot or AT+CFUN=1). Wait for AT+QINISTAT to report 7 and retry.',
  15: 'The SIM is not usable in this module. Try another SIM.',
  30: 'No network service: check the antenna, AT+CSQ, and the band/scan-mode settings (AT+QCFG="band", "nwscanmode").',
  31: 'The network did not answer in time. Check signal (AT+CSQ) and retry.',
};

function commandErrorHint(final: FinalResult): string {
  switch (final.kind) {
    case 'ERROR':
      return 'The module rejected the command without saying why (a typo, a bad parameter, or AT+CMEE=0). Check the command against the AT manual; AT+CMEE=2 makes the module name the reason.';
    case 'CME_ERROR': {
      const hint = final.code === undefined ? undefined : CME_HINTS[final.code];
      if (hint !== undefined) return hint;
      return final.meaning === undefined ? 'The module reported an equipment error; see the +CME ERROR table in the AT manual.' : `The module reports: ${final.meaning}.`;
    }
    case 'CMS_ERROR':
      return final.meaning === undefined ? 'The module reported an SMS error; see the +CMS ERROR table in the AT manual.' : `The module reports an SMS error: ${final.meaning}.`;
    case 'NO_CARRIER':
    case 'BUSY':
    case 'NO_ANSWER':
    case 'NO_DIALTONE':
      return 'The call or data connection was not established; check registration (AT+CREG?, AT+CEREG?) and the number or APN.';
    case 'OK':
    case 'CONNECT':
      return 'The command succeeded but its answer was not what the caller expected.';
  }
}

/** No final result came within the command's time budget. */
export class AtTimeoutError extends MedicError {
  readonly command: string;
  readonly timeoutMs: number;

  constructor(command: string, timeoutMs: number, options: MedicErrorOptions & { readonly partial?: readonly string[]; readonly waitingFor?: string } = {}) {
    const { partial, waitingFor, ...rest } = options;
    super('AT_TIMEOUT', `${command}: no ${waitingFor ?? 'final result'} within ${Math.round(timeoutMs)} ms`, {
      hint: 'Check that this is the AT port: the DM/DIAG port (interface 0) and the NMEA port (interface 1) never answer AT; the AT port is interface 2, usually the third ttyUSB (`medic scan`). Check that nothing else talks to the port (ModemManager: `systemctl stop ModemManager` or `mmcli --inhibit`). If it is the right port, the module is busy or hung: retry, then power-cycle it properly (AT+QPOWD or PWRKEY, never by cutting VBAT).',
      details: { command, timeoutMs, ...(partial === undefined ? {} : { partial }) },
      ...rest,
    });
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** RDY arrived while a command was in flight: the module restarted under it. */
export class ModuleRebootedError extends MedicError {
  readonly command: string;

  constructor(command: string, options: MedicErrorOptions = {}) {
    super('AT_MODULE_REBOOTED', `${command}: the module restarted (RDY) before answering`, {
      hint: 'An unexpected restart is a brown-out (check VBAT and its current capability during TX bursts), a firmware crash (AT+QCFG="ApRstLevel"/"ModemRstLevel" decide whether a crash reboots), or a command that resets (AT+CFUN=1,1). Echo and error format are back to their defaults after a restart.',
      details: { command },
      ...options,
    });
    this.command = command;
  }
}

/** sync() got bytes from the port, but nothing an AT modem says. */
export class AtNotAModemError extends MedicError {
  constructor(port: string, sample: Uint8Array, options: MedicErrorOptions = {}) {
    super('AT_NOT_A_MODEM', `${port} answers, but not like an AT command port`, {
      hint: 'This is probably the DM/DIAG port (interface 0, binary HDLC frames) or the NMEA port (interface 1, $G… sentences). Use the AT port, interface 2 (usually the third ttyUSB); `medic scan` lists the ports. On a UART, check the baud rate.',
      details: { port, sampleHex: Array.from(sample, (b) => b.toString(16).padStart(2, '0')).join(' ') },
      ...options,
    });
  }
}

/** A response did not have the shape the typed command expects. */
export class AtParseError extends MedicError {
  readonly command: string;
  /** The raw response lines (or the one offending line). */
  readonly raw: readonly string[];

  constructor(command: string, message: string, raw: string | readonly string[], options: MedicErrorOptions = {}) {
    const lines = typeof raw === 'string' ? [raw] : raw;
    super('AT_PARSE', `${command}: ${message}: ${lines.length === 0 ? '(no lines)' : lines.map((line) => JSON.stringify(line)).join(' ')}`, {
      hint: 'The module answered in a shape this version does not know (firmware differ). Report the raw line shown here together with the firmware revision (ATI).',
      details: { command, raw: lines },
      ...options,
    });
    this.command = command;
    this.raw = lines;
  }
}

/** True when `error` is an AtCommandError carrying +CME ERROR `code` (e.g. 10 = SIM not inserted). */
export function isCmeError(error: unknown, code?: number): error is AtCommandError {
  return error instanceof AtCommandError && error.final.kind === 'CME_ERROR' && (code === undefined || error.final.code === code);
}
