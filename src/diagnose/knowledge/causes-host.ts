// Causes on the host side or in the module's persistent settings: programs that hold the ports,
// USB autosuspend, and AT+QCFG values that leave a healthy module looking broken (§1.4, §3.9).
import type { Cause } from './types.js';

export const portHeld: Cause = {
  id: 'port-held',
  title: 'Another program (usually ModemManager) holds the module\'s ports',
  explanation: 'ModemManager probes Quectel ports and keeps them open; two programs on one port interleave their commands, and flashers fail to claim the device (Sahara fails intermittently on EG25 until it is stopped).',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'port_holder', test: { is: ['modemmanager'] }, weight: 5, why: 'ModemManager has the ports open (§1.4)' },
    { key: 'port_holder', test: { is: ['other'] }, weight: 3.5, why: 'another program has the ports open' },
    { key: 'port_holder', test: { is: ['none'] }, weight: -4, why: 'nothing else holds the ports' },
  ],
  next: [
    { kind: 'command', text: '`systemctl stop ModemManager` while you work on the module (or tag its ports ID_MM_PORT_IGNORE in udev); `medic scan` shows who holds what.' },
  ],
  sources: ['quectel-ec25.md §1.4, §5.4 (hm-diag stops ModemManager before QFirehose)', 'edl-protocols.md §5 (quectel_eg25_recovery#11, #18)'],
  fault: true,
};

export const usbAutosuspend: Cause = {
  id: 'usb-autosuspend',
  title: 'USB autosuspend is on: the module answers late or drops off',
  explanation: 'With power/control = auto the kernel suspends the module\'s USB when idle: it answers late, URCs get lost, and some hosts fail to bring it back.',
  confidence: 'medium',
  prior: -0.5,
  evidence: [
    { key: 'autosuspend', test: { is: ['on'] }, weight: 4.5, why: 'autosuspend is on for the module (power/control = auto)' },
    { key: 'autosuspend', test: { is: ['off'] }, weight: -4, why: 'autosuspend is off' },
  ],
  next: [
    { kind: 'bench', text: 'For bench work: `echo on > /sys/bus/usb/devices/<usb path>/power/control` (`medic scan` prints the path).' },
  ],
  sources: ['quectel-ec25.md §5.3 (eg25-manager udev settings)', 'issue #4 §1'],
  fault: true,
};

export const riskySettings: Cause = {
  id: 'risky-settings',
  title: 'Risky persistent settings (AT+QCFG) change what the host sees or how the module behaves',
  explanation: 'AT+QCFG values live in NV and survive reflashing of the apps image: a changed USB composition, a locked scan mode, fast power-off or a cached URC port can leave a healthy module looking broken.',
  confidence: 'high',
  prior: -0.3,
  evidence: [
    { key: 'risky_settings', test: { is: ['yes'] }, weight: 5, why: '`medic info` flags risky AT+QCFG values (§3.9)' },
    { key: 'risky_settings', test: { is: ['no'] }, weight: -3, why: 'no risky settings found' },
    { key: 'composition', test: { is: ['changed'] }, weight: 3, why: 'the USB composition lacks the AT or DM port (AT+QCFG="usbcfg", §1.2)' },
  ],
  next: [
    { kind: 'command', text: '`medic info --port {atPort}` lists each risky setting with the AT command that restores it (one NV write each; then reboot the module).' },
  ],
  sources: ['quectel-ec25.md §3.9, §1.2'],
  fault: true,
};
