import { AtClient } from '../protocols/at/client.js';
import { hexTrace } from '../protocols/at/trace.js';
import { openSerial } from '../transport/serial.js';
import type { Logger } from '../core/logger.js';

/**
 * Opens the port, makes sure something that speaks AT is on it, runs `work`, and always closes
 * the port — also when `work` fails, so the next command finds it free.
 */
export async function withAtSession<T>(port: string, logger: Logger, verbose: boolean, work: (client: AtClient) => Promise<T>): Promise<T> {
  const transport = await openSerial({ path: port });
  const client = new AtClient(transport, { logger, ...(verbose ? { trace: hexTrace(logger, port) } : {}) });
  try {
    await client.sync();
    return await work(client);
  } finally {
    await client.close();
  }
}
