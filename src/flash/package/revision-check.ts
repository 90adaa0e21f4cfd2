import { formatBaseline, parseRevision, type FirmwareRevision } from '../../modem/revision.js';
import { problem, type PackageProblem } from './problems.js';

// May this package go onto this module? The rule from Quectel's staff (quectel-ec25.md §2.9): a
// module on EC25EFAR06A17M4G may only take EC25EFAR06Axx M4G builds — same model, same variant
// letters, same baseline R<nn>, same memory code; crossing baselines (R06↔R08) gave perpetual EDL,
// +CFUN: 7 and corrupted RF NV (§5.1). The variant letters' meaning is not published (UNVERIFIED):
// the first letter follows the region of the order code (E, A, J, G…), the rest are opaque. So we
// compare conservatively: a different first letter is another region (refused); any other
// difference in the letters is refused unless the user accepts it explicitly.

export interface RevisionCheckOptions {
  readonly allowBaselineChange?: boolean | undefined;
  readonly allowVariantChange?: boolean | undefined;
  readonly allowUnknownModuleRevision?: boolean | undefined;
}

export interface RevisionCheckResult {
  readonly moduleRevision: FirmwareRevision | undefined;
  readonly problems: readonly PackageProblem[];
}

export function checkRevisionFit(pkg: FirmwareRevision | undefined, moduleText: string | undefined, options: RevisionCheckOptions = {}): RevisionCheckResult {
  const problems: PackageProblem[] = [];
  const moduleRevision = moduleText === undefined ? undefined : parseRevision(moduleText);
  if (moduleText !== undefined && moduleRevision === undefined) {
    problems.push(problem('MODULE_REVISION_UNPARSEABLE', `the module revision "${moduleText}" is not a Quectel revision string`));
    return { moduleRevision, problems };
  }
  if (moduleRevision === undefined) {
    if (options.allowUnknownModuleRevision === true) problems.push(problem('MODULE_REVISION_UNCHECKED', 'the module revision is unknown; model, region and baseline not checked'));
    else problems.push(problem('MODULE_REVISION_UNKNOWN', 'the module revision is unknown, so model, region and baseline cannot be checked'));
    return { moduleRevision, problems };
  }
  // Without the package's revision the validator already reported PACKAGE_REVISION_*.
  if (pkg === undefined) return { moduleRevision, problems };
  const pair = `package ${pkg.main}, module ${moduleRevision.main}`;
  const details = { package: pkg.raw, module: moduleRevision.raw };
  if (pkg.model !== moduleRevision.model) problems.push(problem('MODEL_MISMATCH', `model ${pkg.model} ≠ ${moduleRevision.model} (${pair})`, { details }));
  if (pkg.variant.charAt(0) !== moduleRevision.variant.charAt(0)) {
    problems.push(problem('REGION_MISMATCH', `region letter ${pkg.variant.charAt(0)} ≠ ${moduleRevision.variant.charAt(0)} (${pair}; variant letters UNVERIFIED, compared conservatively)`, { details }));
  } else if (pkg.variant !== moduleRevision.variant) {
    problems.push(problem('VARIANT_MISMATCH', `variant letters ${pkg.variant} ≠ ${moduleRevision.variant} (${pair}); their meaning is not published (UNVERIFIED), so any difference counts`, {
      details,
      ...(options.allowVariantChange === true ? { severity: 'warning' as const } : {}),
    }));
  }
  if (pkg.memoryCode !== moduleRevision.memoryCode) problems.push(problem('MEMORY_CODE_MISMATCH', `memory code ${pkg.memoryCode} ≠ ${moduleRevision.memoryCode} (${pair})`, { details }));
  if (pkg.baseline !== moduleRevision.baseline) {
    const change = `baseline R${pad(moduleRevision.baseline)} → R${pad(pkg.baseline)} (${pair})`;
    problems.push(options.allowBaselineChange === true
      ? problem('BASELINE_CHANGE_ALLOWED', `${change}, allowed by the user`, { details })
      : problem('BASELINE_CHANGE', `${change}: crossing baselines is what bricks modules`, { details }));
  } else if (pkg.minor < moduleRevision.minor) {
    problems.push(problem('DOWNGRADE', `${formatBaseline(moduleRevision)} → ${formatBaseline(pkg)} within the same baseline`, { details }));
  }
  const familyOf = (suffix: string | undefined): string | undefined => suffix?.split('.')[0];
  const pkgFamily = familyOf(pkg.suffix);
  const moduleFamily = familyOf(moduleRevision.suffix);
  if (pkgFamily !== undefined && moduleFamily !== undefined && pkgFamily !== moduleFamily) {
    problems.push(problem('SUFFIX_FAMILY_DIFFERS', `sub-version family ${pkgFamily}.x ≠ ${moduleFamily}.x (${pkg.raw} vs ${moduleRevision.raw})`, { details }));
  }
  return { moduleRevision, problems };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
