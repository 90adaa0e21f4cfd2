import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attachEdlSession } from '../../../src/sim/edl/edl-session.js';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';
import { PtyHost } from '../../../src/core/pty/pty-host.js';
import type { ByteTransport } from '../../../src/transport/byte-transport.js';
import { openSerial } from '../../../src/transport/serial.js';
import { firehoseDoc, helloResp, sahara, words } from '../../helpers/edl-bytes.js';
import { buildSyntheticElf } from '../../helpers/synthetic-elf.js';

/** The host's reads: a tty hands bytes over in any pieces, so keep what was read ahead. */
class HostReader {
  readonly #transport: ByteTransport;
  #pending = Buffer.alloc(0);

  constructor(transport: ByteTransport) {
    this.#transport = transport;
  }

  async bytes(count: number): Promise<Uint8Array> {
    while (this.#pending.length < count) this.#pending = Buffer.concat([this.#pending, await this.#transport.read(AbortSignal.timeout(5000))]);
    const out = this.#pending.subarray(0, count);
    this.#pending = this.#pending.subarray(count);
    return Uint8Array.from(out);
  }

  /** Everything up to and including the first message containing `marker`. */
  async until(marker: string): Promise<string> {
    while (!this.#pending.toString('latin1').includes(marker)) this.#pending = Buffer.concat([this.#pending, await this.#transport.read(AbortSignal.timeout(5000))]);
    const text = this.#pending.toString('latin1');
    const end = text.indexOf('</data>', text.indexOf(marker)) + '</data>'.length;
    this.#pending = this.#pending.subarray(end);
    return text.slice(0, end);
  }
}

describe('EDL session on a real pseudo-terminal', () => {
  let host: PtyHost;
  before(async () => {
    host = await PtyHost.start();
  });
  after(async () => {
    await host.stop();
  });

  it('binary Sahara packets and Firehose XML cross a raw tty intact', async () => {
    const pty = await host.open();
    const nand = new NandFlash({ geometry: nandGeometry({ totalBytes: 4 * 1024 * 1024 }), timeScale: 0 });
    const session = attachEdlSession(pty, { nand, onReset: () => undefined, timeScale: 0 });
    const transport = await openSerial({ path: pty.path });
    const reader = new HostReader(transport);
    try {
      const hello = await reader.bytes(0x30);
      assert.deepEqual(words(hello).slice(0, 6), [1, 0x30, 2, 1, 0x400, 0]);
      await transport.write(helloResp(0));
      const elf = buildSyntheticElf();
      for (;;) {
        const packet = await reader.bytes(8);
        const [command = 0, length = 0] = words(packet);
        const rest = await reader.bytes(length - 8);
        if (command !== 0x03) {
          assert.deepEqual(words(rest), [13, 0], 'END_IMAGE_TX success');
          break;
        }
        const [, offset = 0, size = 0] = words(rest);
        await transport.write(elf.bytes.subarray(offset, offset + size));
      }
      await transport.write(sahara(0x05));
      assert.deepEqual(words(await reader.bytes(12)), [6, 12, 0]);
      assert.match(await reader.until('Supported Functions'), /<log value="Binary build date: /);
      await transport.write(firehoseDoc('<configure MemoryName="nand" MaxPayloadSizeToTargetInBytes="8192" />'));
      assert.match(await reader.until('</data>'), /<response value="ACK" MemoryName="NAND" /);
      assert.equal(session.phase, 'firehose');
    } finally {
      await transport.close();
      await pty.close();
    }
  });
});
