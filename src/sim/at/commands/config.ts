// AT+QCFG and AT+QURCCFG (§3.7, §3.9): queries and persistent sets. Every set is an NV write,
// also when the value does not change.
import { findQcfgSetting, formatQcfgParam, formatQcfgRange, parseQcfgParam, QCFG_SETTINGS } from '../../qcfg.js';
import { URC_PORTS, type UrcPort } from '../../state-store.js';
import { ERROR, ok, type AtCommand } from '../types.js';

export const CONFIG_COMMANDS: readonly AtCommand[] = [
  {
    names: ['+QCFG'],
    handle: async (call, ctx) => {
      if (call.kind === 'test') {
        return ok(...QCFG_SETTINGS.map((setting) => `+QCFG: "${setting.name}",${setting.params.map(formatQcfgRange).join(',')}`));
      }
      const name = call.args[0];
      if (call.kind !== 'set' || name?.quoted !== true) return ERROR;
      const setting = findQcfgSetting(name.text);
      if (setting === undefined) return ERROR;
      const given = call.args.slice(1);
      if (given.length === 0) {
        const values = ctx.module.qcfg(setting.name);
        return ok(`+QCFG: "${setting.name}",${setting.params.map((param, i) => formatQcfgParam(param, values[i] ?? '0')).join(',')}`);
      }
      if (given.length < setting.params.length || given.length > setting.params.length + setting.optional.length) return ERROR;
      const params = [...setting.params, ...setting.optional];
      const parsed: string[] = [];
      for (const [i, arg] of given.entries()) {
        const param = params[i];
        const value = param === undefined || arg.quoted ? undefined : parseQcfgParam(param, arg.text);
        if (value === undefined) return ERROR;
        parsed.push(value);
      }
      await ctx.module.writeQcfg(setting.name, parsed.slice(0, setting.params.length));
      return ok();
    },
  },
  {
    names: ['+QURCCFG'],
    handle: async (call, ctx) => {
      if (call.kind === 'test') return ok(`+QURCCFG: "urcport",(${URC_PORTS.map((p) => `"${p}"`).join(',')})`);
      const [what, value] = call.args;
      if (call.kind !== 'set' || what?.quoted !== true || what.text.toLowerCase() !== 'urcport' || call.args.length > 2) return ERROR;
      if (value === undefined) return ok(`+QURCCFG: "urcport","${ctx.module.urcport()}"`);
      const port = URC_PORTS.find((p) => p === value.text.toLowerCase());
      if (!value.quoted || port === undefined) return ERROR;
      await ctx.module.writeUrcport(port satisfies UrcPort);
      return ok();
    },
  },
];
