// The Linux view of the simulated module under its state directory: the sysfs tree per mode,
// the dev/ttyUSBn links to openable ptys, and both vanishing when the module is off.
import assert from 'node:assert/strict';
import { access, readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { openSerial } from '../../src/transport/serial.js';
import { isSettled, isUp, startTestSim } from '../helpers/sim-fixture.js';

const read = (path: string): Promise<string> => readFile(path, 'utf8');

async function gone(path: string): Promise<boolean> {
  try {
    await access(path);
    return false;
  } catch {
    return true;
  }
}

describe('simulated EC25: USB as Linux sees it', () => {
  it('normal mode: 2c7c:0125 with the §1.2 interface table, drivers, tty and net nodes', async () => {
    const t = await startTestSim();
    try {
      const devices = join(t.dir, 'sys/bus/usb/devices');
      const dev = join(devices, '1-1');
      const real = await realpath(dev);
      assert.ok(real.endsWith(join('sys/devices/pci0000:00/0000:00:14.0/usb1/1-1')), real);
      assert.equal(await read(join(dev, 'idVendor')), '2c7c\n');
      assert.equal(await read(join(dev, 'idProduct')), '0125\n');
      assert.equal(await read(join(dev, 'bNumInterfaces')), ' 5\n');
      assert.equal(await read(join(dev, 'bcdDevice')), '0318\n');
      assert.equal(await read(join(dev, 'speed')), '480\n');
      assert.equal(await read(join(dev, 'busnum')), '1\n');
      assert.match(await read(join(dev, 'devnum')), /^\d+\n$/);
      // EC25AFAR05 is old firmware: "Android" strings (§1.1).
      assert.equal(await read(join(dev, 'manufacturer')), 'Android\n');
      const uevent = await read(join(dev, 'uevent'));
      assert.match(uevent, /^PRODUCT=2c7c\/125\/318$/m);
      assert.match(uevent, /^DEVTYPE=usb_device$/m);
      assert.match(uevent, /^MAJOR=189$/m);

      const table = [
        { n: 0, cls: 'ff', sub: 'ff', proto: 'ff', eps: '02', driver: 'option', tty: 'ttyUSB0' },
        { n: 1, cls: 'ff', sub: '00', proto: '00', eps: '03', driver: 'option', tty: 'ttyUSB1' },
        { n: 2, cls: 'ff', sub: '00', proto: '00', eps: '03', driver: 'option', tty: 'ttyUSB2' },
        { n: 3, cls: 'ff', sub: '00', proto: '00', eps: '03', driver: 'option', tty: 'ttyUSB3' },
        { n: 4, cls: 'ff', sub: 'ff', proto: 'ff', eps: '03', driver: 'qmi_wwan', tty: undefined },
      ];
      for (const row of table) {
        const iface = join(devices, `1-1:1.${row.n}`);
        assert.equal(await read(join(iface, 'bInterfaceNumber')), `0${row.n}\n`);
        assert.equal(await read(join(iface, 'bInterfaceClass')), `${row.cls}\n`);
        assert.equal(await read(join(iface, 'bInterfaceSubClass')), `${row.sub}\n`);
        assert.equal(await read(join(iface, 'bInterfaceProtocol')), `${row.proto}\n`);
        assert.equal(await read(join(iface, 'bNumEndpoints')), `${row.eps}\n`);
        assert.equal(basename(await readlink(join(iface, 'driver'))), row.driver);
        assert.equal(basename(await realpath(join(iface, 'driver'))), row.driver);
        assert.match(await read(join(iface, 'uevent')), new RegExp(`^DRIVER=${row.driver}$`, 'm'));
        if (row.tty !== undefined) {
          assert.deepEqual((await readdir(iface)).filter((name) => name.startsWith('ttyUSB')), [row.tty]);
          assert.equal(await read(join(iface, row.tty, 'tty', row.tty, 'dev')), `188:${row.n}\n`);
          // QFirehose resolves a tty to its interface through /sys/class/tty (§2.2).
          assert.ok((await realpath(join(t.dir, 'sys/class/tty', row.tty))).includes(`/1-1:1.${row.n}/${row.tty}/tty/`));
        }
      }
      const qmi = join(devices, '1-1:1.4');
      assert.equal(await read(join(qmi, 'usbmisc/cdc-wdm0/dev')), '180:0\n');
      assert.match(await read(join(qmi, 'net/wwan0/uevent')), /^INTERFACE=wwan0$/m);
      // The root hub is there too, as on a real host.
      assert.equal(await read(join(devices, 'usb1/idVendor')), '1d6b\n');

      // dev/ttyUSBn → ptys that serial software can open.
      for (const [role, path] of Object.entries(t.sim.info.ports)) {
        assert.equal(path, join(t.dir, 'dev', `ttyUSB${['dm', 'nmea', 'at', 'modem'].indexOf(role)}`));
        assert.match(await realpath(path), /^\/dev\/pts\/\d+$/);
        const transport = await openSerial({ path });
        await transport.close();
      }
    } finally {
      await t.close();
    }
  });

  it('vanishes when the module is off and comes back, with a new device number, when it is on again', async () => {
    const t = await startTestSim();
    try {
      const devices = join(t.dir, 'sys/bus/usb/devices');
      const devnum = await read(join(devices, '1-1/devnum'));
      // A graceful power-off (a cut while running could damage the module and change what comes back).
      await t.sim.control.pressPwrkey(700);
      await t.sim.waitFor((s) => s.mode === 'off' && s.usb.id === null, 10_000, 'USB gone');
      assert.ok(await gone(join(devices, '1-1')));
      assert.ok(await gone(join(devices, '1-1:1.2')));
      assert.ok(await gone(join(t.dir, 'sys/devices/pci0000:00/0000:00:14.0/usb1/1-1')));
      assert.ok(await gone(join(t.dir, 'sys/class/tty/ttyUSB2')));
      assert.deepEqual(await readdir(join(t.dir, 'dev')), []);
      assert.deepEqual(t.sim.info.ports, {});
      await t.sim.control.pressPwrkey(600);
      await t.sim.waitFor(isUp, 20_000, 'back up');
      assert.equal(await read(join(devices, '1-1/idProduct')), '0125\n');
      assert.notEqual(await read(join(devices, '1-1/devnum')), devnum);
      assert.ok(t.sim.info.ports.at !== undefined);
    } finally {
      await t.close();
    }
  });

  it('never shows a half-built device to a reader scanning during re-enumerations', async () => {
    const t = await startTestSim();
    try {
      const devices = join(t.dir, 'sys/bus/usb/devices');
      let scanning = true;
      let seen = 0;
      const problems: string[] = [];
      const reader = (async () => {
        while (scanning) {
          for (const name of await readdir(devices).catch(() => [] as string[])) {
            if (!name.startsWith('1-1')) continue;
            try {
              const uevent = await read(join(devices, name, 'uevent'));
              seen += 1;
              if (!name.includes(':') && !uevent.includes('PRODUCT=')) problems.push(`${name}: ${uevent}`);
            } catch (error) {
              // The device may go between readdir and read, as on a real bus; a link to a
              // missing directory while it is present would be the bug.
              if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(String(error));
            }
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      for (let i = 0; i < 4; i++) {
        await t.sim.control.pulseReset(300);
        await t.sim.waitFor(isUp, 20_000, 'up after reset');
      }
      scanning = false;
      await reader;
      assert.deepEqual(problems, []);
      assert.ok(seen > 0);
    } finally {
      await t.close();
    }
  });

  it('EDL: USB_BOOT strapped high at power-on gives 05c6:9008 with one vendor interface on qcserial, ttyUSB0', async () => {
    const t = await startTestSim();
    try {
      // The forum procedure (§4.8): power off properly, strap USB_BOOT to VDD_EXT, power on.
      await t.sim.control.pressPwrkey(700);
      await t.sim.waitFor((s) => s.mode === 'off', 10_000, 'off');
      await t.sim.control.setUsbBoot('high');
      await t.sim.control.pressPwrkey(600);
      const state = await t.sim.waitFor((s) => s.mode === 'edl' && s.usb.ports.edl !== undefined, 20_000, 'EDL');
      assert.equal(state.usb.id, '05c6:9008');
      assert.deepEqual(Object.keys(state.usb.ports), ['edl']);
      assert.equal(state.usb.ports.edl, join(t.dir, 'dev/ttyUSB0'));
      assert.equal(t.sim.info.mode, 'edl');
      // §4.9: STATUS not running, NET_STATUS low, VDD_EXT 1.8 V, ≈ 42 mA.
      assert.equal(state.pins.status.running, false);
      assert.equal(state.pins.netStatus.level, 'low');
      assert.equal(state.pins.vddExt.volts, 1.8);
      assert.equal(state.currentMa, 42);
      const devices = join(t.dir, 'sys/bus/usb/devices');
      assert.equal(await read(join(devices, '1-1/idVendor')), '05c6\n');
      assert.equal(await read(join(devices, '1-1/idProduct')), '9008\n');
      assert.equal(await read(join(devices, '1-1/bNumInterfaces')), ' 1\n');
      assert.match(await read(join(devices, '1-1/uevent')), /^PRODUCT=5c6\/9008\/0$/m);
      const iface = join(devices, '1-1:1.0');
      assert.equal(await read(join(iface, 'bInterfaceClass')), 'ff\n');
      assert.equal(await read(join(iface, 'bInterfaceSubClass')), 'ff\n');
      assert.equal(await read(join(iface, 'bInterfaceProtocol')), '11\n');
      assert.equal(await read(join(iface, 'bNumEndpoints')), '02\n');
      assert.equal(basename(await readlink(join(iface, 'driver'))), 'qcserial');
      assert.ok(await gone(join(devices, '1-1:1.1')));
      const transport = await openSerial({ path: state.usb.ports.edl ?? '' });
      await transport.close();
      // Released strap + a reset: back to normal.
      await t.sim.control.setUsbBoot('low');
      await t.sim.control.pulseReset(300);
      await t.sim.waitFor(isUp, 20_000, 'normal again');
      assert.equal(await read(join(devices, '1-1/idVendor')), '2c7c\n');
    } finally {
      await t.close();
    }
  });

  it('hands the EDL port to an attached engine, which can make the module reboot', async () => {
    const t = await startTestSim();
    try {
      const seen: string[] = [];
      t.sim.attachPort('edl', (session) => {
        seen.push(session.port.path);
        session.port.on({
          data: () => {
            session.module.setHealth({ bootChain: 'ok' });
            session.module.restart('engine asked for it');
          },
        });
      });
      await t.sim.control.setUsbBoot('high');
      await t.sim.control.pulseReset(300);
      const state = await t.sim.waitFor((s) => s.mode === 'edl' && s.usb.ports.edl !== undefined, 20_000, 'EDL');
      assert.equal(seen.length, 1);
      await t.sim.control.setUsbBoot('low');
      const transport = await openSerial({ path: state.usb.ports.edl ?? '' });
      await transport.write(Uint8Array.of(1));
      await t.sim.waitFor(isUp, 20_000, 'normal after the engine restarted it');
      await transport.close();
    } finally {
      await t.close();
    }
  });

  it('tells an attached engine about a power cut before its port goes', async () => {
    const t = await startTestSim();
    try {
      const order: string[] = [];
      t.sim.attachPort('edl', (session) => {
        session.module.onPowerLoss(() => order.push(`power loss (port aborted: ${session.signal.aborted})`));
        session.signal.addEventListener('abort', () => order.push('port gone'));
      });
      await t.sim.control.setUsbBoot('high');
      await t.sim.control.pulseReset(300);
      await t.sim.waitFor((s) => s.mode === 'edl' && s.usb.ports.edl !== undefined, 20_000, 'EDL');
      await t.sim.control.setVbat(0);
      await t.sim.waitFor((s) => s.usb.id === null, 10_000, 'USB gone');
      assert.deepEqual(order, ['power loss (port aborted: false)', 'port gone']);
    } finally {
      await t.close();
    }
  });

  it('ECM composition after AT+QCFG="usbnet",1 and a reboot: 6 interfaces, cdc_ether on if4/if5', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+QCFG="usbnet",1'), 'AT+QCFG="usbnet",1\r\r\nOK\r\n');
      const devices = join(t.dir, 'sys/bus/usb/devices');
      assert.equal(await read(join(devices, '1-1/bNumInterfaces')), ' 5\n', 'usbnet takes effect after a reboot');
      assert.equal(await port.command('AT+CFUN=1,1'), 'AT+CFUN=1,1\r\r\nOK\r\n');
      await port.waitForEnd();
      await t.sim.waitFor(isUp, 20_000, 'back up');
      assert.equal(await read(join(devices, '1-1/bNumInterfaces')), ' 6\n');
      assert.equal(await read(join(devices, '1-1/bDeviceClass')), 'ef\n');
      assert.equal(await read(join(devices, '1-1:1.4/bInterfaceClass')), '02\n');
      assert.equal(await read(join(devices, '1-1:1.4/bInterfaceSubClass')), '06\n');
      assert.equal(basename(await readlink(join(devices, '1-1:1.4/driver'))), 'cdc_ether');
      assert.equal(basename(await readlink(join(devices, '1-1:1.5/driver'))), 'cdc_ether');
      assert.match(await read(join(devices, '1-1:1.4/net/usb0/uevent')), /^INTERFACE=usb0$/m);
      assert.deepEqual(Object.keys(t.sim.info.ports).sort(), ['at', 'dm', 'modem', 'nmea']);
    } finally {
      await t.close();
    }
  });

  it('AT+QCFG="usbcfg" can drop the DM port: ttyUSB numbering shifts, the AT port is ttyUSB1', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+QCFG="usbcfg",0x2C7C,0x0125,0,1,1,1,1,0,0'), 'AT+QCFG="usbcfg",0x2C7C,0x0125,0,1,1,1,1,0,0\r\r\nOK\r\n');
      assert.equal(await port.command('AT+CFUN=1,1'), 'AT+CFUN=1,1\r\r\nOK\r\n');
      await port.waitForEnd();
      const state = await t.sim.waitFor(isUp, 20_000, 'back up');
      assert.equal(state.usb.ports.dm, undefined);
      assert.equal(state.usb.ports.at, join(t.dir, 'dev/ttyUSB1'));
      assert.equal(await read(join(t.dir, 'sys/bus/usb/devices/1-1/bNumInterfaces')), ' 4\n');
    } finally {
      await t.close();
    }
  });

  it('--usb-path places the device elsewhere on the bus', async () => {
    const t = await startTestSim({ usbPath: '2-1.3' });
    try {
      const dev = join(t.dir, 'sys/bus/usb/devices/2-1.3');
      assert.equal(await read(join(dev, 'busnum')), '2\n');
      assert.equal(await read(join(dev, 'devpath')), '1.3\n');
      assert.ok((await realpath(dev)).endsWith('usb2/2-1/2-1.3'));
      assert.equal(await read(join(t.dir, 'sys/bus/usb/devices/2-1.3:1.2/bInterfaceNumber')), '02\n');
      assert.equal(t.sim.info.usbPath, '2-1.3');
    } finally {
      await t.close();
    }
  });
});
