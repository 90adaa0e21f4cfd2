// The control interface: HTTP + JSON on 127.0.0.1, an ephemeral port. The bench a test (or a
// person with curl) uses to do what hands do to a real module: set the supply, press PWRKEY,
// pulse RESET_N, strap USB_BOOT, break things. Routes and bodies: README.md beside this file.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMedicError, UsageError } from '../../core/errors.js';
import { VBAT } from '../electrical.js';
import { checkFault, FAULTS } from '../faults.js';
import type { SimModule } from '../module.js';
import type { EdlPorts } from '../edl-ports.js';
import { parseEdlFaults } from '../edl-faults.js';
import type { Level, PulsedPin } from '../pins.js';
import type { ErrorBody, SimInfo, SimState } from './api.js';

const MAX_BODY = 64 * 1024;
/** Longest pulse the API accepts, module ms. */
const MAX_PULSE_MS = 600_000;

export interface ControlServerDeps {
  readonly module: SimModule;
  readonly edl: EdlPorts;
  readonly info: () => SimInfo;
  readonly state: () => SimState;
}

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Route {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: RegExp;
  readonly run: (request: { body: Record<string, unknown>; query: URLSearchParams; params: readonly string[] }) => unknown;
}

export async function startControlServer(deps: ControlServerDeps): Promise<ControlServer> {
  const routes = buildRoutes(deps);
  const server = createServer((request, response) => {
    void handle(routes, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function buildRoutes({ module, edl, info, state }: ControlServerDeps): readonly Route[] {
  const setPin = (pin: PulsedPin | 'usb-boot'): Route => ({
    method: 'PUT',
    path: new RegExp(`^/v1/pins/${pin}$`),
    run: ({ body }) => {
      const level = levelOf(body['level']);
      if (pin === 'pwrkey') module.pins.setPwrkey(level);
      else if (pin === 'reset-n') module.pins.setResetN(level);
      else module.pins.setUsbBoot(level);
      return state();
    },
  });
  const pulse = (pin: PulsedPin): Route => ({
    method: 'POST',
    path: new RegExp(`^/v1/pins/${pin}/pulse$`),
    run: async ({ body }) => {
      await module.pins.pulse(pin, numberIn(body['ms'], 'ms', 1, MAX_PULSE_MS));
      return state();
    },
  });
  return [
    { method: 'GET', path: /^\/v1\/info$/, run: () => info() },
    { method: 'GET', path: /^\/v1\/state$/, run: () => state() },
    {
      method: 'PUT',
      path: /^\/v1\/vbat$/,
      run: ({ body }) => {
        const volts = numberIn(body['volts'], 'volts', 0, 6);
        const ohms = body['sourceOhms'] === undefined ? undefined : numberIn(body['sourceOhms'], 'sourceOhms', 0, 100);
        if (volts > VBAT.maxV) module.events.add('vbat-over', `VBAT ${volts} V is above the ${VBAT.maxV} V maximum (§8.1); over-voltage damage is not simulated`, { volts }, 'warn');
        module.setSupply(volts, ohms);
        return state();
      },
    },
    setPin('pwrkey'),
    setPin('reset-n'),
    setPin('usb-boot'),
    pulse('pwrkey'),
    pulse('reset-n'),
    { method: 'GET', path: /^\/v1\/faults$/, run: () => ({ active: module.faults.list(), available: FAULTS }) },
    {
      method: 'POST',
      path: /^\/v1\/faults$/,
      run: ({ body }) => {
        if (typeof body['name'] !== 'string') throw new UsageError('give the fault as {"name": "…"}', { hint: `Faults: ${Object.keys(FAULTS).join(', ')}.` });
        module.injectFault(checkFault(body['name']));
        return state();
      },
    },
    {
      method: 'DELETE',
      path: /^\/v1\/faults$/,
      run: () => {
        module.faults.clear();
        module.events.add('fault', 'all faults cleared');
        return state();
      },
    },
    {
      method: 'DELETE',
      path: /^\/v1\/faults\/([^/]+)$/,
      run: ({ params }) => {
        const name = checkFault(decodeURIComponent(params[0] ?? ''));
        if (name === 'unexpected-reset' || name === 'brown-out') throw new UsageError(`${name} is an event, not a condition: there is nothing to clear`);
        module.faults.clear(name);
        module.events.add('fault', `fault ${name} cleared`);
        return state();
      },
    },
    { method: 'GET', path: /^\/v1\/edl\/faults$/, run: () => edl.faults },
    {
      method: 'POST',
      path: /^\/v1\/edl\/faults$/,
      run: ({ body }) => {
        const added = parseEdlFaults(body, (maxBytes) => 1 + Math.floor(module.rng.next() * maxBytes));
        edl.setFaults({ ...edl.faults, ...added, ...(added.nand === undefined ? {} : { nand: { ...edl.faults.nand, ...added.nand } }) });
        return edl.faults;
      },
    },
    {
      method: 'DELETE',
      path: /^\/v1\/edl\/faults$/,
      run: () => {
        edl.setFaults({});
        return edl.faults;
      },
    },
    { method: 'GET', path: /^\/v1\/wear$/, run: () => ({ ...module.store.record.wear }) },
    { method: 'GET', path: /^\/v1\/events$/, run: ({ query }) => ({ events: module.events.since(Number(query.get('since') ?? '0') || 0) }) },
  ];
}

async function handle(routes: readonly Route[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const matching = routes.filter((route) => route.path.test(url.pathname));
    const route = matching.find((r) => r.method === method);
    if (route === undefined) {
      const known = matching.length > 0;
      send(response, known ? 405 : 404, errorBody(known ? 'SIM_CONTROL_METHOD' : 'SIM_CONTROL_NOT_FOUND', `${method} ${url.pathname} is not a control route`, 'See src/sim/control/README.md for the routes.'));
      return;
    }
    const params = route.path.exec(url.pathname)?.slice(1) ?? [];
    const body = await readBody(request);
    send(response, 200, await route.run({ body, query: url.searchParams, params }));
  } catch (error) {
    if (isMedicError(error)) {
      send(response, error.code === 'USAGE' ? 400 : 500, errorBody(error.code, error.message, error.hint));
      return;
    }
    send(response, 500, errorBody('SIM_CONTROL_INTERNAL', error instanceof Error ? error.message : String(error)));
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new UsageError(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('the request body is not JSON', { hint: 'Send a JSON object, e.g. {"volts": 3.8}.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function levelOf(value: unknown): Level {
  if (value === 'low' || value === 'high') return value;
  throw new UsageError(`level must be "low" or "high", not ${JSON.stringify(value)}`);
}

function numberIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return value;
}

function errorBody(code: string, message: string, hint?: string): ErrorBody {
  return { ok: false, error: { code, message, ...(hint === undefined ? {} : { hint }) } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body ?? null)}\n`;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
