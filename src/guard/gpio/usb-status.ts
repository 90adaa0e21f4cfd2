import type { Level, Signal } from '../config/config.js';
import { otherLevel, pollForLevel, refuseOutput, type GpioLine, type GpioLines } from './lines.js';

// Boards without a STATUS line (PinePhone 1.0) tell "running" from the module's USB device being
// present, as eg25-manager does with libusb (quectel-ec25.md §4.5, §5.3). USB appears ~10–13 s
// after power-on, much later than STATUS (§4.2), and goes ~200 ms after POWERED DOWN
// (UNVERIFIED), so sequences wait longer on it (power/board.ts).

/** Whether the module's USB device (normal mode) is there now. */
export type UsbPresent = () => Promise<boolean>;

export function usbStatusLine(present: UsbPresent, runningLevel: Level, pollMs = 100): GpioLine {
  const line: GpioLine = {
    signal: 'status',
    direction: 'input',
    set: () => refuseOutput('status'),
    pulse: () => refuseOutput('status'),
    get: async () => ((await present()) ? runningLevel : otherLevel(runningLevel)),
    waitFor: (level, timeoutMs, signal) => pollForLevel(line, { level, timeoutMs, pollMs }, signal),
  };
  return line;
}

/** `lines` with STATUS taken from USB presence when the board has no STATUS line. */
export function withUsbStatus(lines: GpioLines, status: GpioLine): GpioLines & { readonly statusFromUsb: boolean } {
  const own = lines.line('status');
  return {
    description: own === undefined ? `${lines.description}, STATUS from USB presence` : lines.description,
    statusFromUsb: own === undefined,
    line: (signal: Signal) => (signal === 'status' ? (own ?? status) : lines.line(signal)),
    close: () => lines.close(),
  };
}

/** The `none` backend: no GPIO at all. */
export const noGpioLines: GpioLines = {
  description: 'none',
  line: () => undefined,
  close: () => Promise.resolve(),
};
