// The PBL side of Sahara, the state machine of edl sheet §1.6 (QC-SAHARA boot_sahara.c): HELLO on
// entry, HELLO_RESP validated in the documented order, the READ_DATA walk over a 32-bit ELF
// programmer, END_IMAGE_TX, DONE → DONE_RESP, command mode, RESET, and END_IMAGE_TX NAKs.
// Transport-free: bytes in through receive(), packets out through send(), one call per packet
// so a pty or TCP bridge can write each atomically (§1.8).
import { logDebug, silentLogger, type Logger } from '../../core/logger.js';
import { ByteBuffer } from './byte-buffer.js';
import { ELF32_HEADER_SIZE, ELF32_PHDR_SIZE, parseElf32Header, parseProgramHeaders, type Elf32ProgramHeader } from './elf32.js';
import { execResponse, MDM9607_IDENTITY, type SaharaIdentity } from './sahara-identity.js';
import { MAX_IMAGE_EXTENT, planSegmentReads, type ReadRequest } from './sahara-image-plan.js';
import { encodePacket, decodePacket, HEADER_LENGTH, packetLength, readHeader, type SaharaPacketKind } from './sahara-packets.js';
import {
  FIREHOSE_IMAGE_ID,
  SAHARA_MAX_PACKET,
  SaharaCommand,
  SaharaMode,
  SaharaStatus,
  TARGET_LAST_KNOWN_STATUS,
  TARGET_VERSION,
  TARGET_VERSION_SUPPORTED,
  type SaharaModeId,
} from './sahara-protocol.js';

export type SaharaTargetState =
  | 'idle'
  | 'wait-hello-resp'
  | 'image-transfer'
  | 'wait-done'
  | 'command'
  | 'command-exec-data'
  | 'wait-reset'
  | 'jumped'
  | 'reset'
  | 'stopped';

/** The programmer as the PBL received it: the file bytes it asked for, at their file offsets. */
export interface ReceivedImage {
  readonly imageId: number;
  /** The file up to the end of its last requested byte; bytes never requested are 0. */
  readonly bytes: Uint8Array;
  readonly entry: number;
  readonly programHeaders: readonly Elf32ProgramHeader[];
  /** Every READ_DATA the target sent, in order. */
  readonly reads: readonly ReadRequest[];
}

export interface SaharaTargetOptions {
  send(bytes: Uint8Array): void;
  /** DONE_RESP went out: the target jumps to the programmer on the same pipe. */
  onProgrammer(image: ReceivedImage): void;
  /** RESET_RESP went out: the chip resets (USB re-enumeration on hardware). */
  onReset(): void;
  readonly identity?: Partial<SaharaIdentity>;
  /** Mode field of the first HELLO (0 IMAGE_TX_PENDING unless the PBL was told otherwise). */
  readonly mode?: SaharaModeId;
  /** The image the PBL asks for; 13 = the Firehose programmer. */
  readonly imageId?: number;
  /**
   * DONE_RESP image_tx_status. By default it echoes the mode the host asked for in HELLO_RESP
   * (§1.6: 0 PENDING from every peer host); SDX-era logs show 1, so a scenario may force either.
   */
  readonly doneRespStatus?: 0 | 1;
  /** Decides whether a fully received image passes (0) or which END_IMAGE_TX status it earns, e.g. 0x25 image auth failure. */
  readonly validateImage?: (image: ReceivedImage) => number;
  readonly logger?: Logger;
}

/** A protocol-1 HELLO_RESP has only its first five words (§1.3). */
const V1_HELLO_RESP_LENGTH = 0x14;

interface Transfer {
  stage: 'header' | 'phdrs' | 'segments';
  pending: ReadRequest;
  queue: ReadRequest[];
  readonly chunks: { offset: number; data: Uint8Array }[];
  readonly reads: ReadRequest[];
  entry: number;
  headers: Elf32ProgramHeader[];
}

export class SaharaTarget {
  readonly #options: SaharaTargetOptions;
  readonly #identity: SaharaIdentity;
  readonly #imageId: number;
  readonly #logger: Logger;
  readonly #input = new ByteBuffer();
  #state: SaharaTargetState = 'idle';
  #mode: number;
  #requestedMode = 0;
  #transfer: Transfer | undefined;
  #execData: { command: number; data: Uint8Array } | undefined;

  constructor(options: SaharaTargetOptions) {
    this.#options = options;
    this.#identity = { ...MDM9607_IDENTITY, ...options.identity };
    this.#imageId = options.imageId ?? FIREHOSE_IMAGE_ID;
    this.#mode = options.mode ?? SaharaMode.ImageTxPending;
    this.#logger = options.logger ?? silentLogger;
  }

  get state(): SaharaTargetState {
    return this.#state;
  }

  /** On entry the target says HELLO and waits for HELLO_RESP. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#sendHello();
  }

  /** The chip lost power or was reset from outside: nothing more goes in or out. */
  stop(): void {
    this.#state = 'stopped';
    this.#input.clear();
  }

  receive(bytes: Uint8Array): void {
    if (!this.#listening()) {
      if (bytes.length > 0) logDebug(this.#logger, 'sahara target: input ignored', { state: this.#state, bytes: bytes.length });
      return;
    }
    this.#input.push(bytes);
    this.#drain();
  }

  #listening(): boolean {
    return !['idle', 'jumped', 'reset', 'stopped'].includes(this.#state);
  }

  #drain(): void {
    while (this.#listening()) {
      if (this.#state === 'image-transfer' && this.#transfer !== undefined) {
        // Raw image data is not framed: exactly the requested length (§1.1).
        const want = this.#transfer.pending.length;
        if (this.#input.length < want) return;
        this.#onImageData(this.#input.take(want));
        continue;
      }
      const header = readHeader(this.#input.peek(HEADER_LENGTH));
      if (header === undefined) return;
      if (header.length < HEADER_LENGTH || header.length > SAHARA_MAX_PACKET) {
        this.#onUnframeable();
        continue;
      }
      if (this.#input.length < header.length) return;
      this.#onPacket(header.command, this.#input.take(header.length));
    }
  }

  /** A length no packet can have: the stream cannot be re-synchronised, so drop what is buffered. */
  #onUnframeable(): void {
    this.#input.clear();
    if (this.#state === 'wait-hello-resp') this.#sendHello();
    else this.#fail(SaharaStatus.InvalidPacketSize);
  }

  #onPacket(command: number, packet: Uint8Array): void {
    logDebug(this.#logger, 'sahara target: packet', { state: this.#state, command, length: packet.length });
    switch (this.#state) {
      case 'wait-hello-resp':
        if (command === SaharaCommand.HelloResp) this.#onHelloResp(packet);
        else if (command === SaharaCommand.Reset) this.#onReset();
        else this.#sendHello(); // any other packet: HELLO again, no NAK (§1.6)
        return;
      case 'wait-done':
        if (command !== SaharaCommand.Done) this.#fail(SaharaStatus.InvalidCommand);
        else if (packet.length !== packetLength('Done')) this.#fail(SaharaStatus.InvalidPacketSize);
        else this.#onDone();
        return;
      case 'command':
        if (command === SaharaCommand.CmdExec) {
          if (this.#sized(packet, 'CmdExec')) this.#onExec(decodePacket('CmdExec', packet).clientCommand);
        } else if (command === SaharaCommand.CmdSwitchMode) {
          if (this.#sized(packet, 'CmdSwitchMode')) this.#onSwitchMode(decodePacket('CmdSwitchMode', packet).mode);
        } else if (command === SaharaCommand.Reset) {
          this.#onReset();
        } else {
          this.#fail(SaharaStatus.InvalidCommand);
        }
        return;
      case 'command-exec-data':
        if (command === SaharaCommand.CmdExecData) {
          if (this.#sized(packet, 'CmdExecData')) this.#onExecData(decodePacket('CmdExecData', packet).clientCommand);
        } else if (command === SaharaCommand.Reset) {
          this.#onReset();
        } else {
          this.#fail(SaharaStatus.InvalidCommand);
        }
        return;
      case 'wait-reset':
        if (command === SaharaCommand.Reset) this.#onReset();
        else this.#fail(SaharaStatus.InvalidCommand);
        return;
      default:
        return;
    }
  }

  /** A packet of a known kind must have exactly its length, else 0x05 (as §1.6 says of DONE). */
  #sized(packet: Uint8Array, kind: SaharaPacketKind): boolean {
    if (packet.length === packetLength(kind)) return true;
    this.#fail(SaharaStatus.InvalidPacketSize);
    return false;
  }

  /** Checks in the order of §1.6; the first failure is the NAK. */
  #onHelloResp(packet: Uint8Array): void {
    const resp = decodePacket('HelloResp', packet);
    const v1Length = packet.length === V1_HELLO_RESP_LENGTH;
    if (!(packet.length === packetLength('HelloResp') || (v1Length && resp.version === 1))) {
      this.#fail(SaharaStatus.InvalidPacketSize);
      return;
    }
    if (resp.status !== SaharaStatus.Success) {
      this.#fail(resp.status <= TARGET_LAST_KNOWN_STATUS ? resp.status : SaharaStatus.UnknownHostError);
      return;
    }
    // The host's own fields must agree (version ≥ its oldest compatible), then the version must
    // be one this target speaks, 1..2 — our reading of "version < version_supported → 0x04;
    // version outside [1..2] → 0x02".
    if (resp.version < resp.versionSupported) {
      this.#fail(SaharaStatus.InvalidHostProtocol);
      return;
    }
    if (resp.version < TARGET_VERSION_SUPPORTED || resp.version > TARGET_VERSION) {
      this.#fail(SaharaStatus.ProtocolMismatch);
      return;
    }
    if (resp.mode >= 4) {
      this.#fail(SaharaStatus.InvalidHostMode);
      return;
    }
    if (resp.mode === SaharaMode.MemoryDebug) {
      this.#fail(SaharaStatus.MemoryDebugNotSupported); // no RAM dump on a healthy EDL entry
      return;
    }
    if (resp.mode === SaharaMode.Command) {
      this.#state = 'command';
      this.#send(encodePacket('CmdReady'));
      return;
    }
    this.#requestedMode = resp.mode;
    this.#beginTransfer();
  }

  #beginTransfer(): void {
    const first = { offset: 0, length: ELF32_HEADER_SIZE };
    this.#transfer = { stage: 'header', pending: first, queue: [], chunks: [], reads: [], entry: 0, headers: [] };
    this.#state = 'image-transfer';
    this.#requestRead(first);
  }

  #requestRead(read: ReadRequest): void {
    if (this.#transfer === undefined) return;
    this.#transfer.pending = read;
    this.#transfer.reads.push(read);
    this.#send(encodePacket('ReadData', { imageId: this.#imageId, offset: read.offset, length: read.length }));
  }

  #onImageData(data: Uint8Array): void {
    const transfer = this.#transfer;
    if (transfer === undefined) return;
    transfer.chunks.push({ offset: transfer.pending.offset, data });
    if (transfer.stage === 'header') {
      const header = parseElf32Header(data);
      if (!header.ok) {
        this.#fail(header.status);
        return;
      }
      const phdrs = { offset: header.value.phoff, length: header.value.phnum * ELF32_PHDR_SIZE };
      if (phdrs.offset + phdrs.length > MAX_IMAGE_EXTENT) {
        this.#fail(SaharaStatus.InvalidDestAddr);
        return;
      }
      transfer.entry = header.value.entry;
      transfer.stage = 'phdrs';
      this.#requestRead(phdrs);
      return;
    }
    if (transfer.stage === 'phdrs') {
      transfer.headers = parseProgramHeaders(data, data.length / ELF32_PHDR_SIZE);
      const plan = planSegmentReads(transfer.headers);
      if (!plan.ok) {
        this.#fail(plan.status);
        return;
      }
      transfer.stage = 'segments';
      transfer.queue = plan.reads;
    }
    const next = transfer.queue.shift();
    if (next !== undefined) {
      this.#requestRead(next);
      return;
    }
    this.#endOfImage(transfer);
  }

  #endOfImage(transfer: Transfer): void {
    const image = assemble(this.#imageId, transfer);
    const status = this.#options.validateImage?.(image) ?? SaharaStatus.Success;
    this.#send(encodePacket('EndImageTx', { imageId: this.#imageId, status }));
    this.#transfer = status === SaharaStatus.Success ? transfer : undefined;
    this.#state = status === SaharaStatus.Success ? 'wait-done' : 'wait-reset';
  }

  #onDone(): void {
    const transfer = this.#transfer;
    if (transfer === undefined) return;
    const status = this.#options.doneRespStatus ?? this.#requestedMode;
    this.#send(encodePacket('DoneResp', { imageTxStatus: status }));
    // For the programmer image the PBL shuts Sahara down and jumps, whatever the status (§1.6).
    this.#state = 'jumped';
    this.#transfer = undefined;
    if (this.#input.length > 0) logDebug(this.#logger, 'sahara target: bytes after DONE dropped at the jump', { bytes: this.#input.length });
    this.#input.clear();
    this.#options.onProgrammer(assemble(this.#imageId, transfer));
  }

  #onExec(clientCommand: number): void {
    const data = execResponse(this.#identity, clientCommand);
    if (data === undefined) {
      // The only real trace of an unsupported EXEC (MSM8909, openpst/sahara#6) is END_IMAGE_TX
      // status 0x01, not 0x1F EXEC_CMD_UNSUPPORTED; we follow the trace.
      this.#fail(SaharaStatus.InvalidCommand);
      return;
    }
    this.#send(encodePacket('CmdExecResp', { clientCommand, respLength: data.length }));
    if (data.length > 0) {
      this.#execData = { command: clientCommand, data };
      this.#state = 'command-exec-data';
    }
  }

  #onExecData(clientCommand: number): void {
    const pending = this.#execData;
    if (pending?.command !== clientCommand) {
      this.#fail(SaharaStatus.ExecDataInvalidClientCmd);
      return;
    }
    this.#execData = undefined;
    this.#state = 'command';
    this.#send(pending.data); // raw, unframed (§1.1)
  }

  /** CMD_SWITCH_MODE stores the mode and the target says HELLO again with it (§1.6). */
  #onSwitchMode(mode: number): void {
    if (mode >= 4) {
      this.#fail(SaharaStatus.InvalidModeSwitch);
      return;
    }
    this.#mode = mode;
    this.#sendHello();
  }

  #onReset(): void {
    this.#send(encodePacket('ResetResp'));
    this.#state = 'reset';
    this.#input.clear();
    this.#options.onReset();
  }

  #sendHello(): void {
    this.#state = 'wait-hello-resp';
    this.#send(encodePacket('Hello', { version: TARGET_VERSION, versionSupported: TARGET_VERSION_SUPPORTED, cmdPacketLength: SAHARA_MAX_PACKET, mode: this.#mode }));
  }

  /** END_IMAGE_TX with the NAK code; from now on only RESET is accepted (§1.6). */
  #fail(status: number): void {
    this.#transfer = undefined;
    this.#execData = undefined;
    this.#state = 'wait-reset';
    this.#send(encodePacket('EndImageTx', { imageId: this.#imageId, status }));
  }

  #send(bytes: Uint8Array): void {
    this.#options.send(bytes);
  }
}

function assemble(imageId: number, transfer: Transfer): ReceivedImage {
  const extent = transfer.chunks.reduce((end, chunk) => Math.max(end, chunk.offset + chunk.data.length), 0);
  const bytes = new Uint8Array(extent);
  for (const chunk of transfer.chunks) bytes.set(chunk.data, chunk.offset);
  return { imageId, bytes, entry: transfer.entry, programHeaders: transfer.headers, reads: [...transfer.reads] };
}
