// SIM state and initialisation progress (fact sheet §3.4).

import { AtParseError } from '../errors.js';
import { command, type AtCommand } from './command.js';
import { int, requireLine, requireParams } from './params.js';

/** The <code> values of AT+CPIN? (3GPP TS 27.007 §8.3; fact sheet §3.4 lists the common ones). */
export const PIN_STATES = ['READY', 'SIM PIN', 'SIM PUK', 'PH-SIM PIN', 'PH-FSIM PIN', 'PH-FSIM PUK', 'SIM PIN2', 'SIM PUK2', 'PH-NET PIN', 'PH-NET PUK', 'PH-NETSUB PIN', 'PH-NETSUB PUK', 'PH-SP PIN', 'PH-SP PUK', 'PH-CORP PIN', 'PH-CORP PUK'] as const;
export type PinState = (typeof PIN_STATES)[number];

export interface PinStatus {
  /** As printed; one of PIN_STATES on a module that follows 27.007. */
  readonly state: string;
  readonly known: boolean;
  readonly ready: boolean;
}

/** `AT+CPIN?` → `+CPIN: READY` | `SIM PIN` | …; no SIM is `+CME ERROR: 10` (an AtCommandError). Up to 5 s. */
export function getPinState(): AtCommand<PinStatus> {
  return command('AT+CPIN?', (response) => {
    const line = requireLine(response, '+CPIN:');
    const state = line.slice('+CPIN:'.length).trim().replace(/^"(.*)"$/, '$1');
    if (state === '') throw new AtParseError(response.command, 'empty +CPIN state', line);
    return { state, known: (PIN_STATES as readonly string[]).includes(state), ready: state === 'READY' };
  });
}

/** Bits of AT+QINISTAT (fact sheet §3.4). */
export const INIT_STATUS_BITS = { cpinReady: 1, smsDone: 2, phonebookDone: 4 } as const;

export interface InitStatus {
  readonly status: number;
  readonly cpinReady: boolean;
  readonly smsDone: boolean;
  readonly phonebookDone: boolean;
  /** All three done (status 7): the boot-completion probe. */
  readonly complete: boolean;
}

/** `AT+QINISTAT` → `+QINISTAT: <status>` bitmask: 1 CPIN READY, 2 SMS done, 4 phonebook done. */
export function getInitStatus(): AtCommand<InitStatus> {
  return command('AT+QINISTAT', (response) => {
    const status = int(requireParams(response, '+QINISTAT:')[0], response, '<status>');
    const bit = (mask: number): boolean => (status & mask) !== 0;
    const all = INIT_STATUS_BITS.cpinReady | INIT_STATUS_BITS.smsDone | INIT_STATUS_BITS.phonebookDone;
    return {
      status,
      cpinReady: bit(INIT_STATUS_BITS.cpinReady),
      smsDone: bit(INIT_STATUS_BITS.smsDone),
      phonebookDone: bit(INIT_STATUS_BITS.phonebookDone),
      complete: (status & all) === all,
    };
  });
}
