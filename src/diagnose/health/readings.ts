// What `medic info` reads from a module over AT, as plain data: the evaluator judges it, the CLI
// renders it, `--json` prints it. Every part is optional — a module that cannot answer a query
// still gets a report, with the query listed under `unavailable`.

export interface IdentityReadings {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly revision?: string;
  /** AT+QGMR: the revision with its sub-version suffix. */
  readonly fullRevision?: string;
  readonly imei?: string;
}

export interface SimReadings {
  /** AT+CPIN? answer: READY, SIM PIN, SIM PUK…; or NOT INSERTED when the module says +CME ERROR: 10. */
  readonly state?: string;
  readonly iccid?: string;
  readonly imsi?: string;
}

export interface RegistrationReadings {
  /** The best of CREG/CGREG/CEREG: 0 not searching, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming. */
  readonly stat?: number;
  readonly statName?: string;
  readonly source?: 'CREG' | 'CGREG' | 'CEREG';
  readonly operator?: string;
  /** The access technology as AT+COPS gives it (7 = E-UTRAN). */
  readonly act?: number;
}

export interface ServingCellReadings {
  readonly state?: string;
  readonly rat?: string;
  readonly duplex?: string;
  /** Text: "01" and "1" are different MNCs. */
  readonly mcc?: string;
  readonly mnc?: string;
  readonly cellId?: string;
  readonly pci?: number;
  readonly earfcn?: number;
  readonly band?: number | string;
  readonly tac?: string;
  readonly rsrp?: number;
  readonly rsrq?: number;
  readonly rssi?: number;
  readonly sinr?: number;
}

export interface NetworkInfoReadings {
  readonly act?: string;
  readonly operator?: string;
  readonly band?: string;
  readonly channel?: number;
}

export interface HealthReadings {
  readonly port: string;
  readonly identity: IdentityReadings;
  readonly sim: SimReadings;
  /** AT+CFUN? */
  readonly functionLevel?: number;
  /** AT+QINISTAT bitmask: 1 CPIN ready, 2 SMS done, 4 phonebook done. */
  readonly initStatus?: number;
  readonly registration: RegistrationReadings;
  readonly servingCell?: ServingCellReadings;
  readonly networkInfo?: NetworkInfoReadings;
  /** AT+CSQ: RSSI in dBm (undefined = 99, unknown) and bit error rate class. */
  readonly csq?: { readonly rssiDbm?: number; readonly ber?: number };
  /** AT+CBC voltage in millivolts. */
  readonly vbatMv?: number;
  /** AT+QTEMP values in °C; a sensor that reports 255 (not available) is left out. */
  readonly temperatures?: readonly { readonly name: string; readonly celsius: number }[];
  /** Persistent settings by key (`usbnet`, `urcport`…), as the module printed their values. */
  readonly settings: Readonly<Record<string, readonly string[]>>;
  /** Queries the module did not answer usefully, with why. */
  readonly unavailable: readonly { readonly query: string; readonly reason: string }[];
}
