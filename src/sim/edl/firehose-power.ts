// <power value="reset|off" DelayInSeconds="n"/> (edl sheet §2.7; QC-FH-NAND handlePower): log,
// ACK, wait max(n, 1) s so the ACK reaches the host, then reset or power off — the module drops
// off USB. The value is matched by prefix ("reset…"); anything else is logged and NAKed. The
// "Will issue reset/power off 100 useconds…" lines the sheet quotes come from newer programmers;
// the boot.bf NAND build logs "Inside handlePower() …" instead.
import type { FirehoseContext } from './firehose-context.js';

export async function handlePower(ctx: FirehoseContext): Promise<void> {
  const value = ctx.attrs.string('value').toLowerCase();
  const delaySeconds = Math.max(ctx.attrs.number('delayinseconds'), 1);
  const action = value.startsWith('reset') ? 'reset' : value.startsWith('off') ? 'off' : undefined;
  if (action === undefined) {
    ctx.log('To be here means power_action was not understood with power tag. Target is *not* being reset or powered off');
    ctx.respond(false);
    return;
  }
  ctx.log(`Inside handlePower() - Requested ${action === 'reset' ? 'POWER_RESET' : 'POWER_OFF'}`);
  ctx.respond(true);
  await ctx.sleep(delaySeconds * 1000);
  ctx.power(action);
}
