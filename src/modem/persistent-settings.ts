// Persistent settings that are risky (quectel-ec25.md §3.9): every AT+QCFG value lives in NV,
// survives reflashing of the apps image, and can leave a healthy module looking dead to its host.
// Each entry says how to read the value, when it is a risk, why, and what to do.

export type SettingSeverity = 'info' | 'warning' | 'fault';

export interface SettingAssessment {
  readonly severity: SettingSeverity;
  readonly why: string;
  readonly next?: string;
}

export interface PersistentSetting {
  /** How the health report asks for it: the AT command. */
  readonly query: string;
  /** The key as the module prints it, e.g. `usbnet`. */
  readonly key: string;
  readonly label: string;
  /** undefined: the value is as shipped or harmless. */
  assess(values: readonly string[]): SettingAssessment | undefined;
}

const qcfg = (key: string): string => `AT+QCFG="${key}"`;

export const persistentSettings: readonly PersistentSetting[] = [
  {
    query: qcfg('usbnet'),
    key: 'usbnet',
    label: 'USB network composition',
    assess: ([mode]) => {
      const names: Record<string, string> = { '0': 'QMI/RmNet', '1': 'ECM', '2': 'MBIM', '3': 'RNDIS' };
      if (mode === undefined || mode === '0') return undefined;
      return {
        severity: 'info',
        why: `The module enumerates as ${names[mode] ?? `composition ${mode}`} instead of QMI (usbnet=0): the host sees other interfaces and drivers (§1.2). Host software that expects wwan0/cdc-wdm0 finds nothing.`,
        next: 'If the product expects QMI: `AT+QCFG="usbnet",0`, then reboot the module (one NV write).',
      };
    },
  },
  {
    query: qcfg('usbcfg'),
    key: 'usbcfg',
    label: 'USB functions and identity',
    assess: (values) => {
      const [vid, pid, diag, nmea, at, modem] = values;
      const problems: string[] = [];
      let severity: SettingSeverity = 'warning';
      if (vid !== undefined && pid !== undefined && (vid.toLowerCase() !== '0x2c7c' || !/^0x0*(125|121|191|195)$/i.test(pid))) {
        problems.push(`the USB identity is ${vid}:${pid}, so drivers and tools that look for Quectel IDs will not find it`);
      }
      if (diag === '0') problems.push('the DM/DIAG port is disabled, which breaks the AT-less switch to download mode (EDL) that flashers use');
      if (at === '0' && modem === '0') {
        problems.push('both AT ports are disabled: the host has no control channel left');
        severity = 'fault';
      } else if (at === '0') problems.push('the AT port (interface 2) is disabled');
      if (nmea === '0') problems.push('the NMEA port is disabled, which shifts the ttyUSB numbering');
      if (problems.length === 0) return undefined;
      return {
        severity,
        why: `AT+QCFG="usbcfg" changed the USB composition (§1.2, §3.9): ${problems.join('; ')}.`,
        next: 'Restore the shipped composition with AT+QCFG="usbcfg",0x2C7C,0x0125,1,1,1,1,1,0,0 (EC25), then reboot the module.',
      };
    },
  },
  {
    query: qcfg('nwscanmode'),
    key: 'nwscanmode',
    label: 'network scan mode',
    assess: ([mode]) => {
      if (mode === undefined || mode === '0') return undefined;
      const names: Record<string, string> = { '1': 'GSM only', '2': 'UMTS only', '3': 'LTE only' };
      return {
        severity: 'warning',
        why: `The module searches ${names[mode] ?? `in mode ${mode}`} instead of automatic: where that RAT is missing it never registers (§3.9).`,
        next: '`AT+QCFG="nwscanmode",0` for automatic (one NV write), unless the product needs the lock.',
      };
    },
  },
  {
    query: qcfg('band'),
    key: 'band',
    label: 'band mask',
    // A band mask cannot be judged without the variant's shipped mask (not in our sheets): the
    // report shows it, and the registration check points here when the module cannot register.
    assess: () => undefined,
  },
  {
    query: qcfg('fast/poweroff'),
    key: 'fast/poweroff',
    label: 'fast power-off',
    assess: ([enabled]) => {
      if (enabled !== '1') return undefined;
      return {
        severity: 'warning',
        why: 'fast/poweroff=1 makes the module power off ~1 s after PWRKEY without network detach and without POWERED DOWN; reboots misbehave with it set (megi, §3.9, §4.3).',
        next: '`AT+QCFG="fast/poweroff",0` unless the product depends on it; then power off with AT+QPOWD=1 and wait for POWERED DOWN.',
      };
    },
  },
  {
    query: qcfg('ledmode'),
    key: 'ledmode',
    label: 'NET_STATUS LED mode',
    assess: ([mode]) => {
      if (mode === undefined || mode === '0') return undefined;
      return {
        severity: 'info',
        why: `ledmode=${mode} changes the NET_STATUS blink patterns (§8.4): bench diagnosis by the LED must not use the standard table.`,
      };
    },
  },
  {
    query: qcfg('urc/cache'),
    key: 'urc/cache',
    label: 'URC cache',
    assess: ([enabled]) => {
      if (enabled !== '1') return undefined;
      return {
        severity: 'warning',
        why: 'urc/cache=1 holds URCs back (meant for host suspend, §3.7): left on, the host misses RDY, +CPIN and registration changes.',
        next: '`AT+QCFG="urc/cache",0` once the host is awake (eg25-manager does this on resume).',
      };
    },
  },
  {
    query: qcfg('ApRstLevel'),
    key: 'ApRstLevel',
    label: 'application-processor crash policy',
    // Semantics of the levels are not in our sheets (UNVERIFIED): shown, not judged.
    assess: () => undefined,
  },
  {
    query: qcfg('ModemRstLevel'),
    key: 'ModemRstLevel',
    label: 'modem crash policy',
    assess: () => undefined,
  },
  {
    query: 'AT+QURCCFG="urcport"',
    key: 'urcport',
    label: 'URC port',
    assess: ([port]) => {
      const value = port?.replace(/"/g, '');
      if (value === undefined || value === 'usbat' || value === 'all') return undefined;
      return {
        severity: 'warning',
        why: `URCs go to "${value}", not the USB AT port (default usbat, §3.7): a host listening on the AT port never sees RDY, +CPIN or POWERED DOWN.`,
        next: '`AT+QURCCFG="urcport","usbat"` (saved to NV automatically), or "all".',
      };
    },
  },
];
