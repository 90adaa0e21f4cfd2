export { PortAtChannel, type AtChannel, type PortAtChannelOptions } from './at-channel.js';
export { Board } from './board.js';
export { PowerError, powerErrorCodes } from './errors.js';
export { describeStep, newTrace, runSequence, type SequenceContext, type SequenceTrace } from './run-sequence.js';
export { PowerSequencer, type PowerOffOptions, type PowerOffResult, type PowerOnResult, type PowerSequencerOptions } from './sequencer.js';
export { AFTER_POWER_OFF, CFUN_RESET, POWER_OFF_ATTEMPTS, POWER_ON, VBAT_OFF_HOLD, type PowerOffAttempt, type PowerOffMethod, type Sequence, type Step } from './sequences.js';
export { usbProbe, type UsbPresence, type UsbProbe, type UsbProbeOptions } from './usb-presence.js';
