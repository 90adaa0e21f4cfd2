// `medic sim make-package DIR [--model EC25] [--revision EC25AFAR05A04M4G] [--sub-version …]
// [--geometry p4K_b256K|p2K_b128K] [--size full|small] [--seed N] [--json]`, as a function the
// CLI layer calls with the words after `make-package` (src/sim cannot import src/cli). Hidden,
// for tests of the host validator: `--corrupt KIND [--corrupt-file PATH]` (corruptions.ts).
// Results go to stdout (JSON with --json), progress to stderr; bad options throw a UsageError
// for the CLI to report (exit code 2).
import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors.js';
import { CORRUPTION_KINDS, type CorruptionKind } from './corruptions.js';
import { makePackage, type MakePackageOptions, type PackageManifest } from './make-package.js';
import { DEFAULT_PACKAGE } from './package-options.js';

/** The part of the CLI's io this command needs (structurally the CLI's CliIo). */
export interface PackageCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const MAKE_PACKAGE_USAGE = `medic sim make-package DIR [options]
  Write a synthetic firmware package with the real Quectel layout into DIR (new or empty).
  --model NAME         module as ATI names it (default ${DEFAULT_PACKAGE.model})
  --revision REV       firmware revision (default ${DEFAULT_PACKAGE.revision})
  --sub-version V      AT+QGMR suffix (default 01.001.01.001)
  --geometry G         p4K_b256K or p2K_b128K (default ${DEFAULT_PACKAGE.geometry})
  --size S             full (real sizes, ~90 MB) or small (for tests) (default ${DEFAULT_PACKAGE.size})
  --seed N             same seed, same bytes (default ${DEFAULT_PACKAGE.seed})
  --json               print the package manifest as JSON on stdout`;

const OPTIONS = {
  model: { type: 'string' },
  revision: { type: 'string' },
  'sub-version': { type: 'string' },
  geometry: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  corrupt: { type: 'string' },
  'corrupt-file': { type: 'string' },
} as const;

export interface MakePackageCommand {
  readonly dir: string;
  readonly json: boolean;
  readonly options: MakePackageOptions;
}

export function parseMakePackageArgs(args: readonly string[]): MakePackageCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { hint: MAKE_PACKAGE_USAGE, cause: error });
  }
  const { values, positionals } = parsed;
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) {
    throw new UsageError(dir === undefined ? 'make-package needs the directory to write into' : `unexpected argument ${extra.join(' ')}`, { hint: MAKE_PACKAGE_USAGE });
  }
  const corrupt = values.corrupt;
  if (corrupt === undefined && values['corrupt-file'] !== undefined) throw new UsageError('--corrupt-file needs --corrupt', { hint: `--corrupt takes one of: ${CORRUPTION_KINDS.join(', ')}.` });
  if (corrupt !== undefined && !isCorruptionKind(corrupt)) throw new UsageError(`unknown corruption ${corrupt}`, { hint: `--corrupt takes one of: ${CORRUPTION_KINDS.join(', ')}.` });
  const options: MakePackageOptions = {
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.revision === undefined ? {} : { revision: values.revision }),
    ...(values['sub-version'] === undefined ? {} : { subVersion: values['sub-version'] }),
    ...(values.geometry === undefined ? {} : { geometry: values.geometry }),
    ...(values.size === undefined ? {} : { size: values.size }),
    ...(values.seed === undefined ? {} : { seed: parseSeed(values.seed) }),
    ...(corrupt === undefined ? {} : { corrupt: { kind: corrupt, ...(values['corrupt-file'] === undefined ? {} : { file: values['corrupt-file'] }) } }),
  };
  return { dir, json: values.json === true, options };
}

/** Runs the command; resolves to the exit code (0) or rejects with a MedicError for the CLI to report. */
export async function runMakePackage(args: readonly string[], io: PackageCliIo, signal?: AbortSignal): Promise<number> {
  const command = parseMakePackageArgs(args);
  let current = '';
  const manifest = await makePackage(command.dir, {
    ...command.options,
    ...(signal === undefined ? {} : { signal }),
    onProgress: ({ path }) => {
      if (path === current) return;
      current = path;
      io.stderr.write(`writing ${path}\n`);
    },
  });
  if (command.json) io.stdout.write(`${JSON.stringify({ ok: true, package: manifest })}\n`);
  else io.stdout.write(describe(manifest));
  return 0;
}

function describe(manifest: PackageManifest): string {
  const { declared } = manifest;
  const lines = [
    `${declared.revision} (${declared.model}, ${manifest.geometry}, ${manifest.size}, seed ${manifest.seed}) in ${manifest.dir}: ${manifest.files.filter((file) => file.present).length} files, ${(manifest.totalBytes / 1e6).toFixed(1)} MB`,
    ...manifest.files.filter((file) => file.present).map((file) => `  ${file.path.padEnd(56)} ${String(file.bytes).padStart(10)}  ${file.md5}`),
  ];
  if (manifest.corrupt !== undefined) lines.push(`deliberately broken (${manifest.corrupt.kind}): ${manifest.corrupt.detail}`);
  return `${lines.join('\n')}\n`;
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--seed ${text} is not a whole number`, { hint: 'Pass a non-negative integer such as 42.' });
  return Number(text);
}

function isCorruptionKind(value: string): value is CorruptionKind {
  return (CORRUPTION_KINDS as readonly string[]).includes(value);
}
