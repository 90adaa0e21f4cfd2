import type { AtClient } from '../../protocols/at/client.js';
import {
  getBatteryCharge,
  getExtendedRevision,
  getFunctionality,
  getIccid,
  getIdentification,
  getImei,
  getImsi,
  getInitStatus,
  getNetworkInfo,
  getOperator,
  getPinState,
  getQcfg,
  getRegistration,
  getServingCell,
  getSignalQuality,
  getTemperatures,
  getUrcPort,
  type AtCommand,
  type Registration,
} from '../../protocols/at/commands/index.js';
import { AtCommandError, AtParseError, AtTimeoutError, isCmeError } from '../../protocols/at/errors.js';
import { persistentSettings } from '../../modem/persistent-settings.js';
import type { HealthReadings, RegistrationReadings, ServingCellReadings } from './readings.js';

export interface ReadHealthOptions {
  readonly signal?: AbortSignal;
  /** Told before each query, for progress on a terminal. */
  readonly onQuery?: (command: string) => void;
}

/**
 * Reads everything the health report needs, one query at a time. A query the module refuses or
 * does not answer is noted and the report goes on; a module that reboots or drops off USB ends it
 * (those errors propagate: the caller reports them).
 */
export async function readHealth(client: AtClient, port: string, options: ReadHealthOptions = {}): Promise<HealthReadings> {
  const unavailable: { query: string; reason: string }[] = [];
  const ask = async <T>(command: AtCommand<T>, quiet?: (error: unknown) => boolean): Promise<T | undefined> => {
    options.onQuery?.(command.text);
    try {
      return await client.run(command, options.signal === undefined ? {} : { signal: options.signal });
    } catch (error) {
      if (!(error instanceof AtCommandError || error instanceof AtTimeoutError || error instanceof AtParseError)) throw error;
      // One slow query is noted; a module that no longer answers even `AT` ends the report.
      if (error instanceof AtTimeoutError) await client.sync({ attempts: 1 }).catch(() => Promise.reject(error));
      if (quiet?.(error) !== true) unavailable.push({ query: command.text, reason: reasonOf(error) });
      return undefined;
    }
  };

  const identification = await ask(getIdentification());
  const extended = await ask(getExtendedRevision());
  const imei = await ask(getImei());

  let simState: string | undefined;
  const pin = await ask(getPinState(), (error) => {
    if (isCmeError(error, 10)) simState = 'NOT INSERTED';
    return simState !== undefined;
  });
  simState ??= pin?.state;
  const simReady = simState === 'READY';
  const iccid = simReady ? await ask(getIccid()) : undefined;
  const imsi = simReady ? await ask(getImsi()) : undefined;

  const functionality = await ask(getFunctionality());
  const init = await ask(getInitStatus());
  const registrations: Registration[] = [];
  for (const kind of ['CEREG', 'CREG', 'CGREG'] as const) {
    const registration = await ask(getRegistration(kind));
    if (registration !== undefined) registrations.push(registration);
  }
  const operator = await ask(getOperator());
  const serving = await ask(getServingCell());
  const networkInfo = await ask(getNetworkInfo());
  const csq = await ask(getSignalQuality());
  const battery = await ask(getBatteryCharge());
  const temperatures = await ask(getTemperatures());

  const settings: Record<string, readonly string[]> = {};
  for (const setting of persistentSettings) {
    if (setting.key === 'urcport') {
      const port = await ask(getUrcPort());
      if (port !== undefined) settings[setting.key] = [port];
      continue;
    }
    const value = await ask(getQcfg(setting.key));
    if (value !== undefined) settings[setting.key] = value.values;
  }

  const lte = serving?.lte;
  const servingCell: ServingCellReadings | undefined = serving === undefined
    ? undefined
    : compact({
        state: serving.state,
        rat: lte?.rat ?? serving.cells[0]?.rat,
        duplex: lte?.duplex,
        mcc: lte?.mcc ?? serving.cells[0]?.mcc,
        mnc: lte?.mnc ?? serving.cells[0]?.mnc,
        cellId: lte?.cellId,
        pci: lte?.pcid,
        earfcn: lte?.earfcn,
        band: lte?.band,
        tac: lte?.tac,
        rsrp: lte?.rsrp,
        rsrq: lte?.rsrq,
        rssi: lte?.rssi,
        sinr: lte?.sinr,
      });

  return {
    port,
    identity: compact({
      manufacturer: identification?.manufacturer,
      model: identification?.model,
      revision: identification?.revision ?? extended?.main,
      fullRevision: extended?.full,
      imei: imei?.imei,
    }),
    sim: compact({ state: simState, iccid, imsi }),
    ...compact({ functionLevel: functionality?.fun, initStatus: init?.status }),
    registration: bestRegistration(registrations, operator?.operator, operator?.act),
    ...(servingCell === undefined ? {} : { servingCell }),
    ...(networkInfo === undefined ? {} : { networkInfo: compact({ act: networkInfo.act, operator: networkInfo.operator, band: networkInfo.band, channel: networkInfo.channel }) }),
    ...(csq === undefined ? {} : { csq: compact({ rssiDbm: csq.dbm, ber: csq.berClass }) }),
    ...compact({ vbatMv: battery?.voltageMv }),
    ...(temperatures === undefined
      ? {}
      : { temperatures: temperatures.sensors.flatMap((sensor) => (sensor.celsius === undefined ? [] : [{ name: sensor.name, celsius: sensor.celsius }])) }),
    settings,
    unavailable,
  };
}

/** Registered on any of CS/PS/EPS counts; otherwise the LTE (CEREG) view, the one an EC25 cares about. */
function bestRegistration(registrations: readonly Registration[], operator: string | undefined, act: number | undefined): RegistrationReadings {
  const chosen = registrations.find((r) => r.registered) ?? registrations[0];
  return compact({
    stat: chosen?.stat,
    statName: chosen?.state,
    source: chosen?.kind,
    operator,
    act,
  });
}

function reasonOf(error: AtCommandError | AtTimeoutError | AtParseError): string {
  if (error instanceof AtTimeoutError) return 'no answer';
  if (error instanceof AtParseError) return `unexpected answer: ${error.message}`;
  const { final } = error;
  return final.meaning === undefined ? final.line : `${final.line} (${final.meaning})`;
}

/** Drops undefined members, so optional properties stay absent (exactOptionalPropertyTypes). */
function compact<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
