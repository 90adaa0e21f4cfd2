import { MedicError } from '../../core/errors.js';

export const gpioErrorCodes = {
  toolsMissing: 'GPIO_TOOLS_MISSING',
  toolFailed: 'GPIO_TOOL_FAILED',
  unknownVersion: 'GPIO_TOOL_VERSION',
  notOutput: 'GPIO_NOT_OUTPUT',
} as const;

export class GpioError extends MedicError {}
