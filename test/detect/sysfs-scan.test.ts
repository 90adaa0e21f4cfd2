import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { scanUsb } from '../../src/detect/sysfs-scan.js';
import { ec25Qmi, writeUsbTree, type FixtureDevice } from '../helpers/usb-fixture.js';
import { tempDir } from '../helpers/wait.js';

async function scan(devices: readonly FixtureDevice[]): Promise<Awaited<ReturnType<typeof scanUsb>>> {
  await using dir = await tempDir();
  await writeUsbTree(join(dir.path, 'sys'), devices);
  return await scanUsb({ sysfsRoot: join(dir.path, 'sys'), devRoot: '/dev' });
}

describe('sysfs scan', () => {
  it('finds an EC25 in normal mode with each port by role, as the option driver binds them', async () => {
    const [device, ...rest] = await scan([ec25Qmi, { usbPath: '1-2', vid: '1d6b', pid: '0002', interfaces: [{ number: 0, csp: '09/00/00', endpoints: 1 }] }]);
    assert.equal(rest.length, 0, 'devices that are not modules are left out');
    assert.ok(device);
    assert.equal(device.identity.mode, 'normal');
    assert.ok(device.identity.models.includes('EC25'));
    assert.equal(device.product, 'EC25-AF');
    assert.deepEqual(device.ports, { dm: '/dev/ttyUSB0', nmea: '/dev/ttyUSB1', at: '/dev/ttyUSB2', modem: '/dev/ttyUSB3' });
    const qmi = device.interfaces[4];
    assert.equal(qmi?.role, 'qmi');
    assert.equal(qmi.driver, 'qmi_wwan');
    assert.deepEqual(qmi.netDevices, ['wwan0']);
    assert.deepEqual(qmi.usbmisc, ['cdc-wdm0']);
  });

  it('tells QDLoader 9008 (emergency download) from a normal module', async () => {
    const [device] = await scan([{ usbPath: '1-1', vid: '05c6', pid: '9008', interfaces: [{ number: 0, csp: 'ff/ff/11', endpoints: 2, driver: 'qcserial', tty: 'ttyUSB0' }] }]);
    assert.equal(device?.identity.mode, 'edl');
    assert.equal(device.ports.edl, '/dev/ttyUSB0');
  });

  it('reads the ECM composition (usbnet=1): serial ports as before, cdc_ether on the network', async () => {
    const ecm: FixtureDevice = {
      ...ec25Qmi,
      interfaces: [
        ...ec25Qmi.interfaces.slice(0, 4),
        { number: 4, csp: '02/06/00', endpoints: 1, driver: 'cdc_ether', net: 'usb0' },
        { number: 5, csp: '0a/00/00', endpoints: 2, driver: 'cdc_ether' },
      ],
    };
    const [device] = await scan([ecm]);
    assert.equal(device?.interfaces[4]?.role, 'ecm');
    assert.equal(device.interfaces[5]?.role, 'cdc-data');
    assert.equal(device.ports.at, '/dev/ttyUSB2');
  });

  it('reads the MBIM composition (usbnet=2): cdc_mbim control and data, serial ports unchanged', async () => {
    // quectel-ec25.md §1.2: if4 02/0e/00 (MBIM control) + if5 0a/00/02 (data), bound by cdc_mbim.
    const mbim: FixtureDevice = {
      ...ec25Qmi,
      interfaces: [
        ...ec25Qmi.interfaces.slice(0, 4),
        { number: 4, csp: '02/0e/00', endpoints: 1, driver: 'cdc_mbim', net: 'wwan0', usbmisc: 'cdc-wdm0' },
        { number: 5, csp: '0a/00/02', endpoints: 2, driver: 'cdc_mbim' },
      ],
    };
    const [device] = await scan([mbim]);
    assert.equal(device?.interfaces[4]?.role, 'mbim');
    assert.equal(device.interfaces[5]?.role, 'cdc-data');
    assert.deepEqual(device.ports, { dm: '/dev/ttyUSB0', nmea: '/dev/ttyUSB1', at: '/dev/ttyUSB2', modem: '/dev/ttyUSB3' });
  });

  it('names the EC21 and the EG91 by their product IDs, with the same port map as the EC25', async () => {
    // §1.1: EC21 2c7c:0121, EG91 2c7c:0191; older firmware says "Android" in the strings, so
    // identification goes by VID:PID only.
    const ec21: FixtureDevice = { ...ec25Qmi, usbPath: '1-3', pid: '0121', manufacturer: 'Android', product: 'Android' };
    const eg91: FixtureDevice = {
      ...ec25Qmi,
      usbPath: '1-4',
      pid: '0191',
      product: 'EG91',
      interfaces: ec25Qmi.interfaces.map((iface) => (iface.tty === undefined ? iface : { ...iface, tty: iface.tty.replace(/\d+$/, (n) => String(Number(n) + 4)) })),
    };
    const devices = await scan([ec21, eg91]);
    const byPath = new Map(devices.map((device) => [device.usbPath, device]));
    assert.deepEqual(byPath.get('1-3')?.identity.models, ['EC21']);
    assert.equal(byPath.get('1-3')?.identity.mode, 'normal');
    assert.equal(byPath.get('1-3')?.ports.at, '/dev/ttyUSB2');
    assert.deepEqual(byPath.get('1-4')?.identity.models, ['EG91']);
    assert.equal(byPath.get('1-4')?.ports.at, '/dev/ttyUSB6');
    assert.equal(byPath.get('1-4')?.ports.dm, '/dev/ttyUSB4');
  });

  it('knows the older EC20 on the Qualcomm VID by interface number, and fastboot', async () => {
    const ec20: FixtureDevice = {
      usbPath: '2-1',
      vid: '05c6',
      pid: '9215',
      interfaces: [0, 1, 2, 3].map((number) => ({ number, csp: 'ff/ff/ff', endpoints: number === 0 ? 2 : 3, driver: 'qcserial', tty: `ttyUSB${number}` })),
    };
    const devices = await scan([ec20, { usbPath: '2-2', vid: '18d1', pid: 'd00d', interfaces: [{ number: 0, csp: 'ff/42/03', endpoints: 2 }] }]);
    assert.equal(devices[0]?.ports.at, '/dev/ttyUSB2');
    assert.equal(devices[0].ports.nmea, '/dev/ttyUSB1');
    assert.equal(devices[1]?.identity.mode, 'fastboot');
  });

  it('reports a Quectel device with one interface as SBL download mode', async () => {
    const [device] = await scan([{ usbPath: '1-1', vid: '2c7c', pid: '0125', interfaces: [{ number: 0, csp: 'ff/ff/ff', endpoints: 2 }] }]);
    assert.equal(device?.identity.mode, 'sbl-download');
  });

  it('explains a sysfs root that is not there', async () => {
    await assert.rejects(scanUsb({ sysfsRoot: '/nonexistent/sys' }), (error: unknown) => isMedicError(error) && error.code === 'SYSFS_UNREADABLE' && /--sysfs-root/.test(error.hint ?? ''));
  });
});
