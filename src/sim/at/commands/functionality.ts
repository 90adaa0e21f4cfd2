// AT+CFUN (§3.3). Each level change takes 1–3 s; 0 ↔ 1/4 writes NV (wear.ts). With lost RF
// calibration the module sits in factory test mode: `+CFUN: 5`, and AT+CFUN=1 → +CME ERROR: 3
// (§5.1, QFORUM/56770).
import { CFUN_MS } from '../../timeline.js';
import { cme, ERROR, ok, type AtCommand } from '../types.js';

export const FUNCTIONALITY_COMMANDS: readonly AtCommand[] = [
  {
    names: ['+CFUN'],
    handle: async (call, ctx) => {
      const { module } = ctx;
      const { baseband } = module;
      if (call.kind === 'read') return ok(`+CFUN: ${baseband.cfun ?? 0}`);
      if (call.kind === 'test') return ok('+CFUN: (0,1,4),(0-1)');
      if (call.kind !== 'set' || call.args.length < 1 || call.args.length > 2) return ERROR;
      const fun = call.args[0]?.text;
      const rst = call.args[1]?.text ?? '0';
      if ((fun !== '0' && fun !== '1' && fun !== '4') || (rst !== '0' && rst !== '1')) return ERROR;
      if (rst === '1') {
        // <rst> is only valid with <fun> 1 (§3.3); the error for other levels is UNVERIFIED.
        if (fun !== '1') return cme(3);
        module.restart('AT+CFUN=1,1');
        return ok();
      }
      // Wrong-baseline calibration answers +CME ERROR: 0 (QFORUM/58100).
      const rf = module.rfState();
      if (rf !== 'ok') return cme(rf === 'wrong-baseline' ? 0 : 3);
      // Right after boot AT+CFUN=4 fails until the +CPIN URC has come (OFONO, §3.3).
      if (fun === '4' && baseband.sim === 'initializing') return ERROR;
      const to = Number(fun) as 0 | 1 | 4;
      const from = baseband.cfun;
      if (from === to) return ok();
      await ctx.sleep(module.rng.between(CFUN_MS.min, CFUN_MS.max));
      if ((from === 0) !== (to === 0)) await module.nvWrite(`CFUN ${from ?? '-'}→${to}`);
      module.countCfunTransition();
      baseband.applyCfun(to);
      return ok();
    },
  },
];
