// AT+CPIN, AT+QINISTAT (§3.4).
import { cme, ERROR, execOnly, ok, type AtCommand, type AtContext, type AtOutcome } from '../types.js';

/** The CME error for a SIM that cannot answer yet, or undefined when it is ready. */
export function simNotUsable(ctx: AtContext): AtOutcome | undefined {
  switch (ctx.module.baseband.sim) {
    case 'ready':
      return undefined;
    case 'absent':
      return cme(10);
    case 'off':
      // AT+CFUN=0 powers the SIM down (§3.3); which error follows is UNVERIFIED.
      return cme(13);
    case 'initializing':
    case null:
      return cme(14);
  }
}

export const SIM_COMMANDS: readonly AtCommand[] = [
  {
    names: ['+CPIN'],
    handle: (call, ctx) => {
      if (call.kind === 'test') return ok();
      if (call.kind === 'read') return simNotUsable(ctx) ?? ok('+CPIN: READY');
      // A PIN for a card that asks none: operation not allowed.
      if (call.kind === 'set') return simNotUsable(ctx) ?? cme(3);
      return ERROR;
    },
    latencyMs: 50,
  },
  { names: ['+QINISTAT'], handle: execOnly((ctx) => ok(`+QINISTAT: ${ctx.module.baseband.initStat}`)) },
];
