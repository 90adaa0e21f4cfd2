// The options of makePackage and their checks. Everything a user can get wrong is a UsageError
// whose hint names the accepted values.
import { UsageError } from '../../core/errors.js';
import { checkRevision, DEFAULT_SUB_VERSION } from '../identity.js';
import { PACKAGE_GEOMETRIES, PACKAGE_SIZES, type PackageGeometry, type PackageSize } from './package-layout.js';

/**
 * Module names as ATI reports them (second line, quectel sheet §2.9) for the MDM9607 family of
 * DESIGN.md; a revision starts with its model's name (EC25EFAR06A06M4G, EG25GGBR07A08M2G …).
 */
export const PACKAGE_MODELS = ['EC25', 'EG25', 'EC21', 'EG21', 'EG91', 'EG95', 'EC20'] as const;

/** What the image descriptor's revision field holds (image-descriptor.ts). */
const MAX_REVISION_LENGTH = 31;

export const DEFAULT_PACKAGE = {
  model: 'EC25',
  revision: 'EC25AFAR05A04M4G',
  geometry: 'p4K_b256K',
  size: 'full',
  seed: 1,
} as const;

export interface PackageIdentityOptions {
  readonly model?: string;
  readonly revision?: string;
  /** AT+QGMR suffix, e.g. 01.001.01.001 (quectel sheet §2.9). */
  readonly subVersion?: string;
  readonly geometry?: string;
  readonly size?: string;
  /** Same seed and options, same bytes. A non-negative integer. */
  readonly seed?: number;
}

export interface ResolvedPackageOptions {
  readonly model: string;
  readonly revision: string;
  readonly subVersion: string;
  readonly geometry: PackageGeometry;
  readonly size: PackageSize;
  readonly seed: number;
}

export function resolvePackageOptions(options: PackageIdentityOptions): ResolvedPackageOptions {
  const model = options.model ?? DEFAULT_PACKAGE.model;
  if (!(PACKAGE_MODELS as readonly string[]).includes(model)) {
    throw new UsageError(`unknown model ${model}`, { hint: `Use the model name ATI prints: ${PACKAGE_MODELS.join(', ')}.` });
  }
  if (options.revision === undefined && model !== DEFAULT_PACKAGE.model) {
    throw new UsageError(`no revision given for ${model}`, { hint: `Pass the ${model} firmware revision, e.g. ${DEFAULT_PACKAGE.revision.replace(DEFAULT_PACKAGE.model, model)}.` });
  }
  const revision = checkRevision(options.revision ?? DEFAULT_PACKAGE.revision);
  if (revision.length > MAX_REVISION_LENGTH) {
    throw new UsageError(`revision ${revision} is longer than ${MAX_REVISION_LENGTH} characters`, { hint: 'Give the ATI / AT+GMR revision without the AT+QGMR suffix; pass that as the sub-version.' });
  }
  if (!revision.startsWith(model)) {
    throw new UsageError(`revision ${revision} is not a ${model} firmware`, { hint: `A ${model} revision starts with "${model}", e.g. ${DEFAULT_PACKAGE.revision.replace(DEFAULT_PACKAGE.model, model)}.` });
  }
  const subVersion = options.subVersion ?? DEFAULT_SUB_VERSION;
  if (!/^\d{2}\.\d{3}\.\d{2}\.\d{3}$/.test(subVersion)) {
    throw new UsageError(`sub-version ${subVersion} is not of the AT+QGMR form`, { hint: 'Use <modem>.<minor>.<ap>.<minor>, e.g. 01.001.01.001 or 30.203.30.203.' });
  }
  const geometry = options.geometry ?? DEFAULT_PACKAGE.geometry;
  if (!isOneOf(geometry, PACKAGE_GEOMETRIES)) {
    throw new UsageError(`unknown NAND geometry ${geometry}`, { hint: `Use ${PACKAGE_GEOMETRIES.join(' or ')} (page size and erase block of the file names).` });
  }
  const size = options.size ?? DEFAULT_PACKAGE.size;
  if (!isOneOf(size, PACKAGE_SIZES)) {
    throw new UsageError(`unknown package size ${size}`, { hint: 'Use full (real image sizes, ~90 MB) or small (a few KiB per image, for tests).' });
  }
  const seed = options.seed ?? DEFAULT_PACKAGE.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`seed ${seed} is not a non-negative integer`, { hint: 'Pass a whole number such as 1 or 42; the same seed makes the same package.' });
  }
  return { model, revision, subVersion, geometry, size, seed };
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}
