import { UsageError } from '../../core/errors.js';
import { filterReworkRecords, readReworkLog } from '../../diagnose/rework-log/index.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { renderReworkCsv, renderReworkTable } from '../render/rework-log.js';
import type { RegisterCommand } from './index.js';

// `medic log`: the rework log (diagnose/rework-log) as a table, JSON lines (what the fleet server
// imports) or CSV.

interface LogOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly since?: string;
  readonly unit?: string;
  readonly file?: string;
}

export const registerLog: RegisterCommand = (program, io, setExit) => {
  program
    .command('log')
    .description('list the rework log: every flash (and diagnose) run, per unit, with its outcome')
    .option('--json', 'one record per line (the format of diagnose/rework-log/README.md), for the fleet server')
    .option('--csv', 'CSV (RFC 4180) for a spreadsheet')
    .option('--since <date>', 'only records from this date or time on (2026-11-23, 2026-11-23T08:00Z)')
    .option('--unit <id>', 'only this unit: IMEI, chip serial or USB path')
    .option('--file <file>', 'read this log (default $MEDIC_REWORK_LOG or $XDG_STATE_HOME/medic/rework-log.jsonl)')
    .addHelpText('after', '\nExit codes: 0 listed (also when nothing matched), 2 bad option.')
    .action(async (options: LogOptions) => {
      setExit(await runLog(io, options));
    });
};

async function runLog(io: CliIo, options: LogOptions): Promise<number> {
  if (options.json === true && options.csv === true) throw new UsageError('give one of --json and --csv');
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const contents = await readReworkLog({ file: options.file });
  for (const skipped of contents.skipped) {
    io.stderr.write(`medic: warning: ${contents.file} line ${skipped.line} skipped: ${skipped.reason}${skipped.torn ? ' (a write cut short by a crash or power cut; the records before it are intact)' : ''}\n`);
  }
  const records = filterReworkRecords(contents.records, { since, unit: options.unit });
  if (options.json === true) {
    io.stdout.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  } else if (options.csv === true) {
    io.stdout.write(renderReworkCsv(records));
  } else if (!contents.exists) {
    io.stderr.write(`No rework log yet at ${contents.file}: nothing has been flashed or diagnosed with it.\n`);
  } else if (records.length === 0) {
    io.stderr.write(`No records in ${contents.file} match.\n`);
  } else {
    io.stdout.write(renderReworkTable(records));
  }
  return ExitCode.Ok;
}

function parseSince(text: string): Date {
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) throw new UsageError(`--since ${text}: not a date`, { hint: 'Give an ISO 8601 date or time, e.g. 2026-11-23 or 2026-11-23T08:00Z.' });
  return new Date(time);
}
