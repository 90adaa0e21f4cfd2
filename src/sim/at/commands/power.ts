// AT+CBC, AT+QTEMP, AT+QPOWD (§3.6).
import { ERROR, execOnly, ok, type AtCommand } from '../types.js';
import { VBAT } from '../../electrical.js';

export const POWER_COMMANDS: readonly AtCommand[] = [
  {
    // +CBC: <bcs>,<bcl>,<voltage mV>. No battery charger here: bcs 0; bcl is the charge a Li-ion
    // cell at this voltage would have (linear 3.3–4.2 V, our choice).
    names: ['+CBC'],
    handle: execOnly((ctx) => {
      const mv = ctx.module.vbatMv();
      const bcl = Math.max(0, Math.min(100, Math.round(((mv / 1000 - VBAT.minV) / (4.2 - VBAT.minV)) * 100)));
      return ok(`+CBC: 0,${bcl},${mv}`);
    }),
  },
  {
    // Not in the V2.0 manual; captured EC2x answers are three integers in °C (PMIC, XO, PA),
    // e.g. `+QTEMP: 30,26,26` (§3.6). Firmware dependent: UNVERIFIED for EC25AFAR05.
    names: ['+QTEMP'],
    handle: execOnly((ctx) => ok(`+QTEMP: ${ctx.module.temperatures().join(',')}`)),
  },
  {
    // 1 (default) = normal: detach, then POWERED DOWN; 0 = immediate (§3.6).
    names: ['+QPOWD'],
    handle: (call, ctx) => {
      if (call.kind === 'test') return ok('+QPOWD: (0,1)');
      const mode = call.kind === 'exec' ? '1' : call.kind === 'set' && call.args.length === 1 ? call.args[0]?.text : undefined;
      if (mode !== '0' && mode !== '1') return ERROR;
      ctx.module.powerDown(mode === '0');
      return ok();
    },
  },
];
