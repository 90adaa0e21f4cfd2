// AT+QENG="servingcell" (fact sheet §3.5; field lists from the manual §6.17, [ATM]). Unavailable
// values print as "-". Without a SIM the module may report the last cell it saw (QFORUM/12244),
// so a report alone does not prove current service. The manual's own examples omit the space
// after the colon (`+QENG:"servingcell",…`); both forms parse.

import { AtParseError } from '../errors.js';
import type { AtResponse } from '../response.js';
import { command, type AtCommand } from './command.js';
import { linesWith, optionalInt, optionalText, paramsAfter, type Param } from './params.js';

/** <state> (manual §6.17). */
export const CELL_STATES = {
  SEARCH: 'searching for a suitable cell',
  LIMSRV: 'camped on a cell, not registered',
  NOCONN: 'registered, idle',
  CONNECT: 'registered, a connection is in progress',
} as const;
export type CellState = keyof typeof CELL_STATES;

/** <ul_bandwidth>/<dl_bandwidth> index → MHz (manual §6.17). */
export const LTE_BANDWIDTH_MHZ = { 0: 1.4, 1: 3, 2: 5, 3: 10, 4: 15, 5: 20 } as const;

export interface LteServingCell {
  readonly rat: 'LTE';
  readonly state: string;
  /** <is_tdd>: "FDD" or "TDD". */
  readonly duplex: string | undefined;
  /** Kept as text: "01" and "1" are different MNCs. */
  readonly mcc: string | undefined;
  readonly mnc: string | undefined;
  /** Hex as printed (28-bit E-UTRAN cell id). */
  readonly cellId: string | undefined;
  readonly pcid: number | undefined;
  readonly earfcn: number | undefined;
  /** <freq_band_ind>: the E-UTRA band number. */
  readonly band: number | undefined;
  readonly ulBandwidth: number | undefined;
  readonly dlBandwidth: number | undefined;
  readonly ulBandwidthMhz: number | undefined;
  readonly dlBandwidthMhz: number | undefined;
  /** Hex as printed. */
  readonly tac: string | undefined;
  /** dBm */
  readonly rsrp: number | undefined;
  /** dB */
  readonly rsrq: number | undefined;
  /** dBm */
  readonly rssi: number | undefined;
  /** dB (the manual: logarithmic value, −20..+30). */
  readonly sinr: number | undefined;
  readonly srxlev: number | undefined;
}

/** GSM, WCDMA, TDSCDMA, CDMA, HDR: field lists differ per RAT; kept as text. */
export interface OtherServingCell {
  readonly rat: string;
  readonly state: string;
  /** The manual puts <mcc>,<mnc> first for every RAT. */
  readonly mcc: string | undefined;
  readonly mnc: string | undefined;
  /** Every field after <rat>, "-" as undefined. */
  readonly fields: readonly (string | undefined)[];
}

export type ServingCell = LteServingCell | OtherServingCell;

export interface ServingCellReport {
  /** The UE state of the first line (SEARCH, LIMSRV, NOCONN, CONNECT). */
  readonly state: string;
  readonly known: boolean;
  /** Empty while searching (`+QENG: "servingcell","SEARCH"`); two lines in SRLTE mode (CDMA + LTE). */
  readonly cells: readonly ServingCell[];
  readonly lte: LteServingCell | undefined;
}

function bandwidthMhz(index: number | undefined): number | undefined {
  return index === undefined ? undefined : (LTE_BANDWIDTH_MHZ as Readonly<Record<number, number>>)[index];
}

function lteCell(state: string, fields: readonly Param[], response: AtResponse): LteServingCell {
  const at = (index: number, what: string): number | undefined => optionalInt(fields[index], response, what);
  const ulBandwidth = at(7, '<ul_bandwidth>');
  const dlBandwidth = at(8, '<dl_bandwidth>');
  return {
    rat: 'LTE',
    state,
    duplex: optionalText(fields[0]),
    mcc: optionalText(fields[1]),
    mnc: optionalText(fields[2]),
    cellId: optionalText(fields[3]),
    pcid: at(4, '<pcid>'),
    earfcn: at(5, '<earfcn>'),
    band: at(6, '<freq_band_ind>'),
    ulBandwidth,
    dlBandwidth,
    ulBandwidthMhz: bandwidthMhz(ulBandwidth),
    dlBandwidthMhz: bandwidthMhz(dlBandwidth),
    tac: optionalText(fields[9]),
    rsrp: at(10, '<rsrp>'),
    rsrq: at(11, '<rsrq>'),
    rssi: at(12, '<rssi>'),
    sinr: at(13, '<sinr>'),
    srxlev: at(14, '<srxlev>'),
  };
}

/** Parses one `+QENG: "servingcell",…` line (exported for the simulator's conformance tests and for logs). */
export function parseServingCellLine(line: string, response: AtResponse = { command: 'AT+QENG="servingcell"', lines: [line], final: { kind: 'OK', line: 'OK' } }): { state: string; cell: ServingCell | undefined } {
  const params = paramsAfter(line, '+QENG:');
  if (!/^servings?cell$/i.test(params[0]?.text ?? '')) throw new AtParseError(response.command, 'not a servingcell line', line);
  const state = params[1]?.text ?? '';
  if (state === '') throw new AtParseError(response.command, 'servingcell line without <state>', line);
  const rat = params[2]?.text;
  if (rat === undefined || rat === '') return { state, cell: undefined };
  const fields = params.slice(3);
  if (rat.toUpperCase() === 'LTE') return { state, cell: lteCell(state, fields, response) };
  return { state, cell: { rat, state, mcc: optionalText(fields[0]), mnc: optionalText(fields[1]), fields: fields.map(optionalText) } };
}

/** `AT+QENG="servingcell"` → the serving cell(s). */
export function getServingCell(): AtCommand<ServingCellReport> {
  return command('AT+QENG="servingcell"', (response) => {
    const lines = linesWith(response, '+QENG:').filter((line) => /^\+QENG:\s*"servings?cell"/i.test(line));
    const first = lines[0];
    if (first === undefined) throw new AtParseError(response.command, 'no +QENG: "servingcell" line in the response', response.lines);
    const parsed = lines.map((line) => parseServingCellLine(line, response));
    const state = parsed[0]?.state ?? '';
    const cells = parsed.flatMap((entry) => (entry.cell === undefined ? [] : [entry.cell]));
    return {
      state,
      known: state in CELL_STATES,
      cells,
      lte: cells.find((cell): cell is LteServingCell => cell.rat === 'LTE'),
    };
  });
}
