// <nop …/> (edl sheet §2.7; QC-FH-NAND handleNop): build date (with the C code's trailing newline
// inside the value), the Verbose setting, the function list, ACK. Needs at least one attribute to
// get past the parser (see firehose-xml-reader.ts).
import type { FirehoseContext } from './firehose-context.js';

export function handleNop(ctx: FirehoseContext): Promise<void> {
  ctx.log(`Binary build date: ${ctx.personality.buildDate} @ ${ctx.personality.buildTime}\n`);
  ctx.log(`fh.attrs.Verbose is set to ${ctx.attrs.number('Verbose')}`);
  ctx.sendSupportedFunctions();
  ctx.respond(true);
  return Promise.resolve();
}
