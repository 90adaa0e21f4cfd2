// `medic fleet serve`: the fleet server (ingest over HTTP and MQTT into PGlite or PostgreSQL) in
// the foreground until SIGINT/SIGTERM; `medic fleet unit add`: register a unit and print its secret.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { UNIT_ID_PATTERN } from '../../guard/events/index.js';
import type { FleetServerOptions } from '../../fleet/serve.js';
import type { FleetStore } from '../../fleet/store/index.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, reportError, stderrLogger, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';
import { waitForSignal } from '../signals.js';
import { registerFleetDemo } from './fleet-demo.js';

interface StoreFlags {
  readonly db?: string;
  readonly dbSchema?: string;
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  readonly json?: boolean;
}

interface ServeFlags extends StoreFlags {
  readonly mqtt?: string;
  readonly host: string;
  readonly port: string;
  readonly mqttPort: string;
  readonly topicPrefix?: string;
  readonly adminToken?: string;
  readonly verbose?: boolean;
  readonly silentDays: string;
}

interface UnitAddFlags extends StoreFlags {
  readonly batch?: string;
  readonly tag: string[];
  readonly secret?: string;
}

function defaultDataDir(): string {
  const base = process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(base, 'medic', 'fleet');
}

function port(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new UsageError(`${option} ${text} is not a port number`, { hint: `Give ${option} a number 0…65535 (0 picks a free port).` });
  return value;
}

function days(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 3650) throw new UsageError(`${option} ${text} is not a number of days`, { hint: `Give ${option} a whole number 1…3650.` });
  return value;
}

function storeOptions(flags: StoreFlags): { db?: string; dbSchema?: string; dataDir?: string } {
  if (flags.db !== undefined) {
    if (!/^postgres(ql)?:\/\//u.test(flags.db)) throw new UsageError(`--db ${flags.db} is not a postgres:// URL`, { hint: 'Use --db postgres://user@host:5432/database, or leave --db out for the embedded store.' });
    return { db: flags.db, ...(flags.dbSchema === undefined ? {} : { dbSchema: flags.dbSchema }) };
  }
  if (flags.dbSchema !== undefined) throw new UsageError('--db-schema needs --db', { hint: 'The embedded store has one schema; give --db postgres://… to choose a schema there.' });
  if (flags.inMemory === true) return {};
  return { dataDir: flags.dataDir ?? defaultDataDir() };
}

function addStoreOptions(command: Command): Command {
  return command
    .option('--db <url>', 'a PostgreSQL server (postgres://user@host:5432/db); default: the embedded store')
    .option('--db-schema <name>', 'with --db: keep the tables in this schema (created when missing)')
    .option('--data-dir <dir>', `where the embedded store keeps its files (default ${defaultDataDir()})`)
    .option('--in-memory', 'embedded store in memory only: nothing is kept after exit (tests, demos)')
    .option('--json', 'print the result as one JSON line on stdout');
}

async function serve(io: CliIo, flags: ServeFlags): Promise<number> {
  const json = flags.json === true;
  const adminToken = flags.adminToken ?? process.env['MEDIC_FLEET_ADMIN_TOKEN'];
  const options: FleetServerOptions = {
    ...storeOptions(flags),
    ...(flags.mqtt === undefined ? {} : { mqtt: flags.mqtt }),
    ...(flags.topicPrefix === undefined ? {} : { topicPrefix: flags.topicPrefix }),
    ...(adminToken === undefined || adminToken === '' ? {} : { adminToken }),
    host: flags.host,
    port: port(flags.port, '--port'),
    mqttPort: port(flags.mqttPort, '--mqtt-port'),
    logger: stderrLogger(io, flags.verbose === true),
    analytics: { silentDays: days(flags.silentDays, '--silent-days') },
  };
  // Listen for the signals before starting, so a SIGTERM during start-up still closes cleanly.
  const signal = waitForSignal();
  // Loaded here, not at the top: PGlite, fastify, aedes and mqtt cost every other command ~0.7 s to import.
  const { startFleetServer } = await import('../../fleet/serve.js');
  const server = await startFleetServer(options);
  const ready = {
    ok: true,
    http: server.http,
    mqtt: server.mqtt,
    mqttEmbedded: server.mqttEmbedded,
    store: server.store.kind,
    storeLocation: server.storeLocation,
    schemaVersion: server.migrations.version,
    migrationsApplied: server.migrations.applied,
    topicPrefix: server.topicPrefix,
    ...(server.adminTokenGenerated ? { adminToken: server.adminToken } : {}),
  };
  if (json) printJson(io, ready);
  else {
    io.stdout.write(`fleet server: HTTP ${server.http}, MQTT ${server.mqtt}${server.mqttEmbedded ? ' (embedded broker)' : ''}\n`);
    io.stdout.write(`store: ${server.store.kind} (${server.storeLocation}), schema version ${server.migrations.version}\n`);
    io.stdout.write(`units send to POST ${server.http}/api/v1/events or MQTT ${server.topicPrefix}/units/<unit>/events\n`);
    if (server.adminTokenGenerated) io.stdout.write(`admin token for this run (set MEDIC_FLEET_ADMIN_TOKEN to keep one): ${server.adminToken}\n`);
  }
  const received = await signal;
  if (!json) io.stderr.write(`${received}: stopping…\n`);
  await server.close();
  if (!json) io.stderr.write('stopped.\n');
  return ExitCode.Ok;
}

async function unitAdd(io: CliIo, id: string, flags: UnitAddFlags): Promise<number> {
  if (!new RegExp(UNIT_ID_PATTERN, 'u').test(id)) throw new UsageError(`"${id}" is not a valid unit id`, { hint: `A unit id matches ${UNIT_ID_PATTERN} (it is also an MQTT topic level): letters, digits, . _ : -` });
  const options = storeOptions(flags);
  const { openFleetStore } = await import('../../fleet/store/index.js');
  const { registerUnit } = await import('../../fleet/units/index.js');
  const { store } = await openFleetStore({
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.dbSchema === undefined ? {} : { schema: options.dbSchema }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  try {
    const added = await registerUnit(store, { id, tags: flags.tag, ...(flags.batch === undefined ? {} : { batch: flags.batch }), ...(flags.secret === undefined ? {} : { secret: flags.secret }) });
    if (flags.json === true) printJson(io, { ok: true, unit: added.id, secret: added.secret, batch: flags.batch ?? null, tags: flags.tag });
    else {
      io.stdout.write(`unit ${added.id} added. Its secret (shown only now; the server keeps a hash):\n${added.secret}\n`);
      io.stderr.write(`HTTP: Authorization: Basic base64("${added.id}:<secret>"); MQTT: username ${added.id}, password <secret>\n`);
    }
    return ExitCode.Ok;
  } finally {
    await store.close();
  }
}

async function withStore<T>(flags: StoreFlags, work: (store: FleetStore) => Promise<T>): Promise<T> {
  const options = storeOptions(flags);
  const { openFleetStore } = await import('../../fleet/store/index.js');
  const { store } = await openFleetStore({
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.dbSchema === undefined ? {} : { schema: options.dbSchema }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function readInput(io: CliIo, file: string): Promise<string> {
  if (file !== '-') {
    const { readFile } = await import('node:fs/promises');
    return readFile(file, 'utf8').catch((error: unknown) => {
      throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Give a readable file, or - to read standard input.' });
    });
  }
  let text = '';
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

async function importInto(io: CliIo, job: { kind: 'rework' | 'production'; text: string; store: FleetStore; json: boolean }): Promise<number> {
  const { importProduction, importRework } = await import('../../fleet/imports/index.js');
  if (job.kind === 'rework') {
    const report = await importRework(job.store.db, job.text);
    if (job.json) printJson(io, { ok: true, ...report });
    else {
      io.stdout.write(`rework log: ${report.records} records, ${report.imported} new, ${report.duplicates} already imported; ${report.linked} tied to a unit\n`);
      if (report.unlinked.length > 0) io.stderr.write(`${report.unlinked.length} records name no known unit yet (no unit or production record with their IMEI/serial): they are tied when a production CSV names them\n`);
    }
    return ExitCode.Ok;
  }
  const report = await importProduction(job.store.db, job.text);
  if (job.json) printJson(io, { ok: true, ...report });
  else io.stdout.write(`production records: ${report.rows} rows, ${report.inserted} new, ${report.updated} updated; ${report.reworkLinked} rework records newly tied to a unit\n`);
  return ExitCode.Ok;
}

async function importFile(io: CliIo, kind: 'rework' | 'production', file: string, flags: StoreFlags): Promise<number> {
  const text = await readInput(io, file);
  const { ImportError } = await import('../../fleet/imports/index.js');
  return withStore(flags, async (store) => {
    try {
      return await importInto(io, { kind, text, store, json: flags.json === true });
    } catch (error) {
      // Bad input is refused whole, nothing stored: exit 4, like a package that fails validation.
      if (!(error instanceof ImportError)) throw error;
      reportError(io, error, flags.json === true);
      return ExitCode.Refused;
    }
  });
}

/** The password: typed at a terminal without echo (twice), or the first line of standard input. */
async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY !== true || !('setRawMode' in io.stdin)) return (await readInput(io, '-')).split(/\r?\n/u)[0] ?? '';
  const stdin = io.stdin as NodeJS.ReadableStream & { setRawMode: (raw: boolean) => void };
  const ask = (prompt: string): Promise<string> =>
    new Promise((resolve) => {
      io.stderr.write(prompt);
      let typed = '';
      stdin.setRawMode(true);
      stdin.resume();
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            io.stderr.write('\n');
            resolve(typed);
            return;
          }
          if (char === '\u0003') process.kill(process.pid, 'SIGINT');
          else if (char === '\u007f') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('password: ');
  const again = await ask('again: ');
  if (first !== again) throw new UsageError('the two passwords differ', { hint: 'Run the command again and type the same password twice.' });
  return first;
}

async function operatorAdd(io: CliIo, name: string, flags: StoreFlags): Promise<number> {
  const { checkOperatorInput, setOperator } = await import('../../fleet/dashboard/operators.js');
  checkOperatorInput(name, 'x'.repeat(64));
  const password = await readPassword(io);
  checkOperatorInput(name, password);
  return withStore(flags, async (store) => {
    const added = await setOperator(store.db, name, password);
    if (flags.json === true) printJson(io, { ok: true, operator: name, added });
    else io.stdout.write(added ? `operator ${name} added: log in to the dashboard at the fleet server's address\n` : `operator ${name}: password changed\n`);
    return ExitCode.Ok;
  });
}

export const registerFleet: RegisterCommand = (program, io, setExit) => {
  const fleet = program.command('fleet').description('the fleet server: collect risk events from every unit (HTTP and MQTT) into PostgreSQL or an embedded store');
  addStoreOptions(
    fleet
      .command('serve')
      .description('run the fleet server until SIGINT/SIGTERM: migrations at start, ingest over HTTP (POST /api/v1/events) and MQTT (<prefix>/units/<unit>/events)'),
  )
    .option('--mqtt <url>', 'an existing broker (mqtt://host:1883, e.g. Mosquitto); default: an embedded broker')
    .option('--host <address>', 'address to listen on (HTTP and the embedded broker)', '127.0.0.1')
    .option('--port <n>', 'HTTP port (0: any free port)', '8080')
    .option('--mqtt-port <n>', 'port of the embedded broker (0: any free port)', '1883')
    .option('--topic-prefix <prefix>', 'MQTT topic prefix', 'medic/v1')
    .option('--admin-token <token>', 'token for the read APIs (default: $MEDIC_FLEET_ADMIN_TOKEN, else a new one printed at start)')
    .option('--verbose', 'debug messages on stderr')
    .option('--silent-days <n>', 'a unit with no event for this many days counts as silent (failed) in the analytics', '7')
    .addHelpText('after', '\nWith --json, one line {"ok":true,"http":…,"mqtt":…} once listening. Exit codes: 0 stopped by a signal, 2 bad options, 5 could not start.')
    .action(async (flags: ServeFlags) => {
      setExit(await serve(io, flags));
    });
  const unit = fleet.command('unit').description('fleet units and their credentials');
  addStoreOptions(unit.command('add').argument('<unit>', 'unit id (letters, digits, . _ : -; also its MQTT topic level)').description('register a unit; prints its secret once'))
    .option('--batch <batch>', 'production batch')
    .option('--tag <tag>', 'a tag (repeat for several)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--secret <secret>', 'use this secret (≥ 16 characters) instead of generating one')
    .action(async (id: string, flags: UnitAddFlags) => {
      setExit(await unitAdd(io, id, flags));
    });
  addStoreOptions(fleet.command('import-rework').argument('<file>', 'the output of `medic log --json` (JSON lines), or - for standard input').description('import rework records, tied to units by IMEI / chip serial / unit id; idempotent by record id'))
    .addHelpText('after', '\nA file with a bad line is refused whole, with the line numbers. Exit codes: 0 imported, 2 bad options, 4 input refused (nothing imported), 5 could not store.')
    .action(async (file: string, flags: StoreFlags) => {
      setExit(await importFile(io, 'rework', file, flags));
    });
  addStoreOptions(fleet.command('import-production').argument('<file>', 'CSV with a header: unit,batch,production_date,module_revision,imei (optional chip_serial); - for standard input').description('import production records (batch, production date, module revision, IMEI per unit); a unit imported again is updated'))
    .addHelpText('after', '\nRFC 4180 CSV. A file with a bad row is refused whole, with the line numbers. Exit codes: 0 imported, 2 bad options, 4 input refused (nothing imported), 5 could not store.')
    .action(async (file: string, flags: StoreFlags) => {
      setExit(await importFile(io, 'production', file, flags));
    });
  const operator = fleet.command('operator').description('dashboard operators (name and password)');
  addStoreOptions(operator.command('add').argument('<name>', 'operator name (letters, digits, . _ @ -)').description('add an operator or set a new password: typed twice at a terminal, else the first line of standard input'))
    .action(async (name: string, flags: StoreFlags) => {
      setExit(await operatorAdd(io, name, flags));
    });
  registerFleetDemo(fleet, io, setExit);
};
