import { parseRevision, type FirmwareRevision } from '../../modem/revision.js';
import { problem, type PackageProblem } from './problems.js';

// Which firmware a package holds. Quectel publishes no manifest field for it, so we read it from
// what a package carries, in this order, and require all of them to agree:
//   1. the zip's base name and the folder that holds update/ — Quectel names both after the
//      revision (EC25EFAR06A01M4G/, quectel-ec25.md §2.6 [DEFC]);
//   2. any revision-shaped token in contents.xml — it is Qualcomm's build manifest (build IDs and
//      paths, §2.7); whether Quectel's own carries the revision string is UNVERIFIED, so a token
//      there counts when present and its absence says nothing. (`medic sim make-package` writes
//      the revision into contents.xml and names the folder after it.)
//   3. a revision the caller states (e.g. from the release notes), which must agree as well.
// A package with none of these is refused by the validator (the baseline cannot be checked).

export interface RevisionEvidence {
  /** Where it was found, e.g. "zip name", "folder name", "contents.xml line 12", "given". */
  readonly source: string;
  readonly revision: FirmwareRevision;
}

export interface PackageRevisionResult {
  readonly revision: FirmwareRevision | undefined;
  readonly evidence: readonly RevisionEvidence[];
  readonly problems: readonly PackageProblem[];
}

const TOKEN = /(?<![A-Za-z0-9])E[CGM]\d{2}[A-Z]+?R\d{2}A\d{2}[A-Z]\d[A-Z](?:_\d+(?:\.\d+)+)?(?![A-Za-z0-9])/g;

/** Revision strings in free text (a file name, an XML file), with their 1-based line. */
export function findRevisionTokens(text: string): { readonly line: number; readonly revision: FirmwareRevision }[] {
  const found: { line: number; revision: FirmwareRevision }[] = [];
  text.split(/\r\n|\r|\n/).forEach((content, index) => {
    for (const match of content.matchAll(TOKEN)) {
      const revision = parseRevision(match[0]);
      if (revision !== undefined) found.push({ line: index + 1, revision });
    }
  });
  return found;
}

export interface RevisionSources {
  /** Package names, outermost first, with what they are ("zip name", "folder name"). */
  readonly names: readonly { readonly source: string; readonly name: string }[];
  /** contents.xml's text, if the package has one. */
  readonly contentsXml?: string | undefined;
  readonly given?: string | undefined;
}

export function identifyPackageRevision(sources: RevisionSources): PackageRevisionResult {
  const evidence: RevisionEvidence[] = [];
  const problems: PackageProblem[] = [];
  for (const { source, name } of sources.names) {
    for (const { revision } of findRevisionTokens(name)) evidence.push({ source: `${source} ${name}`, revision });
  }
  if (sources.contentsXml !== undefined) {
    // `medic sim make-package` also writes <sub_version> (the AT+QGMR suffix); no real source for it.
    const sub = /<sub_version>\s*(\d+(?:\.\d+)+)\s*<\/sub_version>/.exec(sources.contentsXml)?.[1];
    for (const { line, revision } of findRevisionTokens(sources.contentsXml)) {
      const withSuffix = sub !== undefined && revision.suffix === undefined ? parseRevision(`${revision.main}_${sub}`) : undefined;
      evidence.push({ source: `contents.xml line ${line}`, revision: withSuffix ?? revision });
    }
  }
  if (sources.given !== undefined) {
    const revision = parseRevision(sources.given);
    if (revision === undefined) problems.push(problem('PACKAGE_REVISION_UNKNOWN', `the package revision given, "${sources.given}", is not a Quectel revision string`));
    else evidence.push({ source: 'given', revision });
  }
  const distinct = [...new Set(evidence.map((entry) => entry.revision.main))];
  if (distinct.length > 1) {
    problems.push(problem('PACKAGE_REVISION_CONFLICT', `the package names ${distinct.length} revisions: ${evidence.map((e) => `${e.revision.main} (${e.source})`).join(', ')}`, {
      details: { evidence: evidence.map((e) => ({ source: e.source, revision: e.revision.raw })) },
    }));
    return { revision: undefined, evidence, problems };
  }
  if (evidence.length === 0) {
    if (problems.length === 0) problems.push(problem('PACKAGE_REVISION_UNKNOWN', 'no revision string (like EC25EFAR06A01M4G) in the package name, the folder name or contents.xml'));
    return { revision: undefined, evidence, problems };
  }
  // Prefer a string that carries the QGMR suffix: it says more (§2.9).
  const best = evidence.find((entry) => entry.revision.suffix !== undefined) ?? evidence[0];
  return { revision: best?.revision, evidence, problems };
}
