// A TraceHook that writes a hex dump of every transfer to the Logger at debug level: something a
// user can paste into a bug report and we can read back byte for byte (core/hexdump.ts).

import { hexdump } from '../../core/hexdump.js';
import { logDebug, type Logger } from '../../core/logger.js';
import type { TraceHook } from './client.js';

export function hexTrace(logger: Logger, port?: string): TraceHook {
  return (direction, bytes) => {
    logDebug(logger, `at ${direction === 'tx' ? '>>' : '<<'} ${bytes.length} bytes`, {
      direction,
      ...(port === undefined ? {} : { port }),
      hex: hexdump(bytes),
    });
  };
}
