// ATE, ATI, AT&F, AT+CMEE, AT+GMI/+GMM (§3.1, §3.2, §3.9).
import { modelSpec } from '../../models.js';
import { ERROR, execOnly, ok, type AtCommand, type AtContext } from '../types.js';

export function atiLines(ctx: AtContext): string[] {
  const { identity } = ctx.module;
  return ['Quectel', modelSpec(identity.model).atiName, `Revision: ${identity.revision}`];
}

export const BASIC_COMMANDS: readonly AtCommand[] = [
  {
    names: ['E'],
    handle: (call, ctx) => {
      const value = call.args[0]?.text ?? '0';
      if (value !== '0' && value !== '1') return ERROR;
      ctx.port.echo = value === '1';
      return ok();
    },
  },
  {
    names: ['I'],
    handle: (call, ctx) => ((call.args[0]?.text ?? '0') === '0' ? ok(...atiLines(ctx)) : ERROR),
  },
  {
    // Resets the non-QCFG AT parameters of this port to factory defaults (§3.9).
    names: ['&F'],
    handle: (call, ctx) => {
      if ((call.args[0]?.text ?? '0') !== '0') return ERROR;
      ctx.port.echo = true;
      ctx.port.cmee = 1;
      return ok();
    },
  },
  {
    names: ['+CMEE'],
    handle: (call, ctx) => {
      if (call.kind === 'read') return ok(`+CMEE: ${ctx.port.cmee}`);
      if (call.kind === 'test') return ok('+CMEE: (0-2)');
      const value = call.args[0]?.text;
      if (call.kind !== 'set' || call.args.length !== 1 || (value !== '0' && value !== '1' && value !== '2')) return ERROR;
      ctx.port.cmee = Number(value) as 0 | 1 | 2;
      return ok();
    },
  },
  { names: ['+GMI', '+CGMI'], handle: execOnly(() => ok('Quectel')) },
  { names: ['+GMM', '+CGMM'], handle: execOnly((ctx) => ok(modelSpec(ctx.module.identity.model).atiName)) },
];
