import { SaharaStatus } from './constants.js';

// What each NAK means (edl-protocols.md §1.5) and what a person should do about it. Grouped by
// cause: most codes a user will see come from a wrong programmer or a lossy link (§5).

const wrongProgrammer =
  'The module refused the programmer image. Use the programmer from the same firmware package (update/firehose/prog_nand_firehose_9x07.mbn for the EC25 family); a wrong-chip or unsigned programmer fails like this even when the message sounds unrelated (edl-protocols.md §5).';
const lossyLink =
  'Data was lost between host and module. Use a short cable on a USB port of the host itself (no hub), stop ModemManager and anything else using the port, power-cycle the module and run again.';
const outOfStep =
  'The Sahara session is out of step: an earlier run left it half-finished, or another program talks to the port. Power-cycle the module (or replug USB), stop ModemManager/eg25-manager, and run again.';
const versionMismatch =
  'The module rejected our Sahara protocol version. Please report this with a trace; medic answers with the version the module announced.';
const commandMode =
  'The module does not support this command-mode request. Chip information is optional: skip it and load the programmer directly.';

export interface SaharaStatusAdvice {
  readonly meaning: string;
  readonly hint: string;
}

export const saharaStatusAdvice: Readonly<Record<SaharaStatus, SaharaStatusAdvice>> = {
  [SaharaStatus.Success]: { meaning: 'success', hint: 'Nothing to do.' },
  [SaharaStatus.InvalidCommand]: { meaning: 'invalid command in the current state', hint: outOfStep },
  [SaharaStatus.ProtocolMismatch]: { meaning: 'protocol mismatch', hint: versionMismatch },
  [SaharaStatus.InvalidTargetProtocol]: { meaning: 'invalid target protocol', hint: versionMismatch },
  [SaharaStatus.InvalidHostProtocol]: { meaning: 'invalid host protocol', hint: versionMismatch },
  [SaharaStatus.InvalidPacketSize]: { meaning: 'invalid packet size', hint: lossyLink },
  [SaharaStatus.UnexpectedImageId]: { meaning: 'unexpected image id', hint: outOfStep },
  [SaharaStatus.InvalidHeaderSize]: { meaning: 'invalid header size', hint: lossyLink },
  [SaharaStatus.InvalidDataSize]: { meaning: 'invalid data size', hint: lossyLink },
  [SaharaStatus.InvalidImageType]: { meaning: 'invalid image type', hint: wrongProgrammer },
  [SaharaStatus.InvalidTxLength]: { meaning: 'invalid TX length', hint: lossyLink },
  [SaharaStatus.InvalidRxLength]: { meaning: 'invalid RX length', hint: lossyLink },
  [SaharaStatus.GeneralTxRxError]: { meaning: 'general TX/RX error', hint: lossyLink },
  [SaharaStatus.ReadDataError]: { meaning: 'READ_DATA error', hint: lossyLink },
  [SaharaStatus.UnsupportedProgramHeaderCount]: { meaning: 'unsupported number of program headers', hint: wrongProgrammer },
  [SaharaStatus.InvalidProgramHeaderSize]: { meaning: 'invalid program header size', hint: wrongProgrammer },
  [SaharaStatus.MultipleSharedSegments]: { meaning: 'multiple shared segments', hint: wrongProgrammer },
  [SaharaStatus.UninitialisedProgramHeaderLocation]: { meaning: 'uninitialised program header location', hint: wrongProgrammer },
  [SaharaStatus.InvalidDestinationAddress]: { meaning: 'invalid destination address', hint: wrongProgrammer },
  [SaharaStatus.InvalidImageHeaderDataSize]: { meaning: 'invalid image header data size', hint: wrongProgrammer },
  [SaharaStatus.InvalidElfHeader]: { meaning: 'invalid ELF header', hint: wrongProgrammer },
  [SaharaStatus.UnknownHostError]: { meaning: 'unknown host error', hint: outOfStep },
  [SaharaStatus.ReceiveTimeout]: { meaning: 'RX timeout', hint: lossyLink },
  [SaharaStatus.TransmitTimeout]: { meaning: 'TX timeout', hint: lossyLink },
  [SaharaStatus.InvalidHostMode]: { meaning: 'invalid host mode', hint: versionMismatch },
  [SaharaStatus.InvalidMemoryRead]: { meaning: 'invalid memory read', hint: commandMode },
  [SaharaStatus.InvalidDataSizeRequest]: { meaning: 'invalid data size request', hint: commandMode },
  [SaharaStatus.MemoryDebugNotSupported]: { meaning: 'memory debug not supported', hint: commandMode },
  [SaharaStatus.InvalidModeSwitch]: { meaning: 'invalid mode switch', hint: commandMode },
  [SaharaStatus.ExecFailure]: { meaning: 'command execution failed', hint: commandMode },
  [SaharaStatus.ExecInvalidParameter]: { meaning: 'invalid command parameter', hint: commandMode },
  [SaharaStatus.ExecCommandUnsupported]: { meaning: 'command not supported', hint: commandMode },
  [SaharaStatus.ExecDataInvalidClientCommand]: { meaning: 'EXEC_DATA for the wrong client command', hint: outOfStep },
  [SaharaStatus.HashTableAuthFailure]: { meaning: 'hash table authentication failed', hint: wrongProgrammer },
  [SaharaStatus.HashVerificationFailure]: { meaning: 'hash verification failed', hint: wrongProgrammer },
  [SaharaStatus.HashTableNotFound]: { meaning: 'hash table not found', hint: wrongProgrammer },
  [SaharaStatus.TargetInitFailure]: {
    meaning: 'target initialisation failed',
    hint: 'The module could not initialise its download mode. Power-cycle it; if this repeats, check its supply (VBAT stable under load) with `medic diagnose`.',
  },
  [SaharaStatus.ImageAuthFailure]: { meaning: 'image authentication failed', hint: wrongProgrammer },
  [SaharaStatus.InvalidImageHashTableSize]: { meaning: 'invalid image hash table size', hint: wrongProgrammer },
  [SaharaStatus.EnumerationFailure]: { meaning: 'enumeration failure', hint: lossyLink },
  [SaharaStatus.HardwareBulkTransferError]: { meaning: 'hardware bulk transfer error', hint: lossyLink },
};

export function adviceFor(status: number): SaharaStatusAdvice {
  return (saharaStatusAdvice as Readonly<Record<number, SaharaStatusAdvice>>)[status] ?? { meaning: `unknown status 0x${status.toString(16)}`, hint: outOfStep };
}
