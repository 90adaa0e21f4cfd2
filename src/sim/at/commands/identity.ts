// Revision, IMEI, IMSI, ICCID (§3.2).
import { simNotUsable } from './sim-card.js';
import { execOnly, ok, type AtCommand } from '../types.js';

export const IDENTITY_COMMANDS: readonly AtCommand[] = [
  { names: ['+GMR', '+CGMR'], handle: execOnly((ctx) => ok(ctx.module.identity.revision)) },
  // `<revision>_<modem>.<minor>.<ap>.<minor>`, e.g. EG25GGBR07A08M2G_30.203.30.203 (§2.9).
  { names: ['+QGMR'], handle: execOnly((ctx) => ok(`${ctx.module.identity.revision}_${ctx.module.identity.subVersion}`)) },
  { names: ['+GSN', '+CGSN'], handle: execOnly((ctx) => ok(ctx.module.identity.imei)) },
  {
    names: ['+CIMI'],
    handle: execOnly((ctx) => {
      const card = ctx.module.baseband.card;
      return simNotUsable(ctx) ?? ok(card?.imsi ?? '');
    }),
  },
  {
    // The ICCID is readable as soon as the card answers, before PIN/init completes.
    names: ['+QCCID'],
    handle: execOnly((ctx) => {
      const { baseband } = ctx.module;
      const card = baseband.card;
      if (baseband.sim !== 'initializing' && baseband.sim !== 'ready') return simNotUsable(ctx) ?? ok();
      return ok(`+QCCID: ${card?.iccid ?? ''}`);
    }),
  },
];
