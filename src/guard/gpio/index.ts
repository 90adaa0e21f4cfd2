export { GpioError, gpioErrorCodes } from './errors.js';
export { gpiodCommands, parseGpiodVersion, parseGpiogetOutput, type GpiodCommands, type GpiodVersion } from './gpiod-commands.js';
export { GpiodLines, probeGpiodVersion, type GpiodLinesOptions } from './gpiod-lines.js';
export { otherLevel, pollForLevel, type GpioLine, type GpioLines } from './lines.js';
export { noGpioLines, usbStatusLine, withUsbStatus, type UsbPresent } from './usb-status.js';
