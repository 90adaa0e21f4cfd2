// What the PBL answers in command mode (edl sheet §1.4, §6.1): serial number (4 bytes), MSM HW ID
// (8 bytes per copy, 3 copies = 24 bytes; bits 63..32 MSM_ID, 31..16 OEM_ID, 15..0 MODEL_ID) and
// the OEM public-key hash (32 bytes per copy, 96 bytes as seen).
import { SaharaExec } from './sahara-protocol.js';

export interface SaharaIdentity {
  readonly serialNumber: number;
  readonly msmId: number;
  readonly oemId: number;
  readonly modelId: number;
  /** 32 bytes. */
  readonly pkHash: Uint8Array;
}

/** Qualcomm's default test root (edl qualcomm_config.py root_cert_hash): an unfused part. */
export const QUALCOMM_TEST_ROOT_PK_HASH = Uint8Array.from(Buffer.from('cc3153a80293939b90d02d3bf8b23e0292e452fef662c74998421adad42a380f', 'hex'));

/** MDM9607 (MSM_ID 0x0004A0E1, edl qualcomm_config.py). OEM/model ids and serial are ours. */
export const MDM9607_IDENTITY: SaharaIdentity = {
  serialNumber: 0x2c7c0125,
  msmId: 0x0004a0e1,
  oemId: 0x0000,
  modelId: 0x0000,
  pkHash: QUALCOMM_TEST_ROOT_PK_HASH,
};

const HW_ID_COPIES = 3;
const PK_HASH_COPIES = 3;

/** The raw reply to a client command, or undefined when the target does not implement it. */
export function execResponse(identity: SaharaIdentity, clientCommand: number): Uint8Array | undefined {
  switch (clientCommand) {
    case SaharaExec.SerialNumRead: {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, identity.serialNumber >>> 0, true);
      return out;
    }
    case SaharaExec.MsmHwIdRead: {
      const one = new Uint8Array(8);
      const view = new DataView(one.buffer);
      view.setUint32(0, ((identity.oemId & 0xffff) << 16) | (identity.modelId & 0xffff), true);
      view.setUint32(4, identity.msmId >>> 0, true);
      return repeat(one, HW_ID_COPIES);
    }
    case SaharaExec.OemPkHashRead:
      return repeat(identity.pkHash, PK_HASH_COPIES);
    default:
      return undefined;
  }
}

function repeat(bytes: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(bytes.length * times);
  for (let index = 0; index < times; index += 1) out.set(bytes, index * bytes.length);
  return out;
}
