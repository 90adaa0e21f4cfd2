// Radio and registration health (§3.5): AT+CSQ, +CREG/+CGREG/+CEREG, +COPS, +QENG, +QNWINFO.
import { registrationFields, type RegCommand } from '../../baseband.js';
import type { Cell } from '../../scenarios.js';
import { cme, ERROR, execOnly, ok, type AtCommand, type AtContext, type AtHandler } from '../types.js';

/** The cell whose signal the module measures: serving or camped, with the radio on and calibrated. */
function measuredCell(ctx: AtContext): Cell | undefined {
  const { baseband } = ctx.module;
  return baseband.cfun === 1 && ctx.module.calibrated() ? baseband.cell : undefined;
}

/** rssi dBm → 0..31 (−113 dBm + 2 dB steps), 99 unknown (§3.5). */
function csqRssi(dbm: number): number {
  return Math.max(0, Math.min(31, Math.round((dbm + 113) / 2)));
}

function registration(command: RegCommand): AtHandler {
  return (call, ctx) => {
    const { baseband } = ctx.module;
    if (call.kind === 'test') return ok(`+${command}: (0-2)`);
    if (call.kind === 'read') {
      const n = baseband.regMode(command);
      const cell = n === 2 && baseband.registered ? baseband.cell : undefined;
      return ok(`+${command}: ${n},${registrationFields(baseband.stat, cell)}`);
    }
    const n = call.args[0]?.text;
    if (call.kind !== 'set' || call.args.length !== 1 || (n !== '0' && n !== '1' && n !== '2')) return ERROR;
    baseband.setRegMode(command, Number(n));
    return ok();
  };
}

function stripZeros(hex: string): string {
  return hex.replace(/^0+(?=.)/, '');
}

export const NETWORK_COMMANDS: readonly AtCommand[] = [
  {
    names: ['+CSQ'],
    handle: (call, ctx) => {
      if (call.kind === 'test') return ok('+CSQ: (0-31,99),(0-7,99)');
      if (call.kind !== 'exec') return ERROR;
      const cell = measuredCell(ctx);
      // LTE modules report <ber> 99 (not measurable).
      return ok(cell === undefined ? '+CSQ: 99,99' : `+CSQ: ${csqRssi(cell.rssi)},99`);
    },
  },
  { names: ['+CREG'], handle: registration('CREG') },
  { names: ['+CGREG'], handle: registration('CGREG') },
  { names: ['+CEREG'], handle: registration('CEREG') },
  {
    names: ['+COPS'],
    handle: async (call, ctx) => {
      const { baseband } = ctx.module;
      if (call.kind === 'read') {
        const cell = baseband.registered ? baseband.cell : undefined;
        return ok(cell === undefined ? '+COPS: 0' : `+COPS: 0,0,"${cell.operator}",7`);
      }
      if (call.kind === 'test') {
        // A network scan: seconds, up to the manual's 180 s (§3.1).
        if (baseband.cfun !== 1 || !ctx.module.calibrated()) return cme(3);
        await ctx.sleep(ctx.module.rng.between(4000, 9000));
        const heard = baseband.usableCells();
        const entries = heard.map((cell) => `(${cell === baseband.cell && baseband.registered ? 2 : 1},"${cell.operator}","${cell.operator}","${cell.mcc}${cell.mnc}",7)`);
        return ok(`+COPS: ${[...entries, '', '(0-4)', '(0-2)'].join(',')}`);
      }
      // Automatic selection is what the module does already; manual selection is not simulated.
      if (call.kind === 'set' && call.args[0]?.text === '0') return ok();
      return ERROR;
    },
  },
  {
    names: ['+QENG'],
    handle: (call, ctx) => {
      if (call.kind === 'test') return ok('+QENG: "servingcell"');
      if (call.kind !== 'set' || call.args.length !== 1 || call.args[0]?.text.toLowerCase() !== 'servingcell') return ERROR;
      const { baseband } = ctx.module;
      const cell = measuredCell(ctx);
      if (cell === undefined) return ok('+QENG: "servingcell","SEARCH"');
      const state = !baseband.registered ? 'LIMSRV' : baseband.tx === 'data' ? 'CONNECT' : 'NOCONN';
      const fields = ['"servingcell"', `"${state}"`, '"LTE"', '"FDD"', cell.mcc, cell.mnc, stripZeros(cell.cellId), cell.pcid, cell.earfcn, cell.band, cell.bandwidth, cell.bandwidth, stripZeros(cell.tac), cell.rsrp, cell.rsrq, cell.rssi, cell.sinr, cell.srxlev];
      return ok(`+QENG: ${fields.join(',')}`);
    },
  },
  {
    names: ['+QNWINFO'],
    handle: execOnly((ctx) => {
      const cell = measuredCell(ctx);
      // "No Service" when there is none: the manual's form as we remember it, UNVERIFIED.
      return ok(cell === undefined ? '+QNWINFO: No Service' : `+QNWINFO: "FDD LTE","${cell.mcc}${cell.mnc}","LTE BAND ${cell.band}",${cell.earfcn}`);
    }),
  },
];
