import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findPortHolders } from '../../src/detect/port-holders.js';
import { scanUsb } from '../../src/detect/sysfs-scan.js';
import { scanWarnings } from '../../src/detect/warnings.js';
import { ec25Qmi, writeUsbTree } from '../helpers/usb-fixture.js';
import { tempDir, waitFor } from '../helpers/wait.js';

describe('what gets in the way', () => {
  it('names the process that holds a port, like fuser', async () => {
    await using dir = await tempDir();
    const node = join(dir.path, 'ttyUSB2');
    await writeFile(node, '');
    const holder = spawn('python3', ['-c', `import time; f = open(${JSON.stringify(node)}); print('open', flush=True); time.sleep(30)`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => { resolve(); }));
      const holders = await waitFor(async () => {
        const found = await findPortHolders(node);
        return found.length > 0 ? found : undefined;
      }, 5000, 'the holder to show in /proc');
      assert.equal(holders[0]?.pid, holder.pid);
      assert.match(holders[0]?.command ?? '', /python/);
      assert.deepEqual(await findPortHolders(join(dir.path, 'nobody-has-this')), []);
    } finally {
      holder.kill();
    }
  });

  it('warns about ModemManager, autosuspend and a composition without AT or DM', async () => {
    await using dir = await tempDir();
    await writeUsbTree(join(dir.path, 'sys'), [{ ...ec25Qmi, powerControl: 'auto', interfaces: ec25Qmi.interfaces.filter((iface) => iface.number !== 0) }]);
    const [device] = await scanUsb({ sysfsRoot: join(dir.path, 'sys') });
    assert.ok(device);
    const warnings = scanWarnings(device, { '/dev/ttyUSB2': [{ pid: 812, command: 'ModemManager' }] });
    const byCode = new Map(warnings.map((warning) => [warning.code, warning]));
    assert.match(byCode.get('PORT_HELD')?.next ?? '', /systemctl stop ModemManager/);
    assert.match(byCode.get('AUTOSUSPEND')?.next ?? '', /power\/control/);
    assert.match(byCode.get('COMPOSITION_CHANGED')?.message ?? '', /DM\/DIAG/);
  });

  it('says nothing about a healthy, plainly bound module', async () => {
    await using dir = await tempDir();
    await writeUsbTree(join(dir.path, 'sys'), [ec25Qmi]);
    const [device] = await scanUsb({ sysfsRoot: join(dir.path, 'sys') });
    assert.ok(device);
    assert.deepEqual(scanWarnings(device, {}), []);
  });
});
