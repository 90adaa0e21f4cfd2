// Writes the files of one planned package, in order: images (big ones streamed), the flashing
// XML, contents.xml, then md5.txt over everything — applying the chosen defect at the step where
// it belongs (corruptions.ts). Remembers what it wrote, to report it or take it back on failure.
import { mkdir, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logDebug, silentLogger, type Logger } from '../../core/logger.js';
import { toCancelled } from '../../core/time.js';
import { contentsXml } from './contents-xml.js';
import { traversalFilename, truncationPoint, wrongModelFor, type ResolvedCorruption } from './corruptions.js';
import { damageOneByte } from './damage-byte.js';
import { buildElfImage } from './elf-image.js';
import type { DescriptorContainer, ImageIdentity } from './image-descriptor.js';
import { md5OfFile, md5Text } from './md5-list.js';
import { buildMibib, buildPartitionMbn } from './mibib.js';
import { CONTENTS_PATH, MD5_PATH, PARTITION_XML_PATH, PROGRAMMER_PATH, patchPath, rawprogramPath, type BuildName } from './package-layout.js';
import type { MakePackageOptions, PackageFile, PackageManifest, PackageProgress } from './package-manifest.js';
import type { ResolvedPackageOptions } from './package-options.js';
import { findImage, partitionBytes, type PackagePlan, type PlannedImage } from './package-plan.js';
import { partitionNandXml } from './partition-nand-xml.js';
import { writePlainImage } from './plain-image.js';
import { patchXml, rawprogramXml } from './rawprogram-xml.js';
import { SeededBytes } from './seeded-bytes.js';

const XML_BUILDS: Readonly<Record<string, BuildName>> = { [PARTITION_XML_PATH]: 'boot' };

export class PackageWriter {
  readonly #dir: string;
  readonly #options: ResolvedPackageOptions;
  readonly #plan: PackagePlan;
  readonly #corruption: ResolvedCorruption | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #logger: Logger;
  readonly #onProgress: ((progress: PackageProgress) => void) | undefined;
  readonly #declared: { readonly model: string; readonly revision: string };
  /** Files in the order written, with their image facts. */
  readonly #written: { path: string; bytes: number; image: PackageFile['image'] }[] = [];
  #madeFolders = false;

  constructor({ dir, options, plan, corruption, extra }: { dir: string; options: ResolvedPackageOptions; plan: PackagePlan; corruption: ResolvedCorruption | undefined; extra: MakePackageOptions }) {
    this.#dir = dir;
    this.#options = options;
    this.#plan = plan;
    this.#corruption = corruption;
    this.#signal = extra.signal;
    this.#logger = extra.logger ?? silentLogger;
    this.#onProgress = extra.onProgress;
    this.#declared = corruption?.kind === 'wrong-model' ? wrongModelFor(options.model) : { model: options.model, revision: options.revision };
  }

  async write(): Promise<PackageManifest> {
    await mkdir(join(this.#dir, 'update', 'firehose'), { recursive: true });
    this.#madeFolders = true;
    for (const image of this.#plan.images) await this.#writeImage(image);
    const { geometry } = this.#plan;
    const traversal = this.#corruption?.kind === 'path-traversal' && this.#corruption.file !== undefined ? this.#corruption.file : undefined;
    const overrides = traversal === undefined ? undefined : new Map([[traversal, traversalFilename(traversal.slice(traversal.lastIndexOf('/') + 1))]]);
    await this.#writeText(rawprogramPath(geometry), rawprogramXml(this.#plan, overrides === undefined ? {} : { filenameOverrides: overrides }));
    await this.#writeText(patchPath(geometry), patchXml(this.#plan));
    await this.#writeText(PARTITION_XML_PATH, partitionNandXml(this.#plan));
    await this.#writeText(CONTENTS_PATH, contentsXml({ ...this.#declared, subVersion: this.#options.subVersion, geometry, files: this.#contentsFiles() }));
    const md5s = new Map<string, string>();
    for (const { path } of this.#written) md5s.set(path, await md5OfFile(this.#absolute(path)));
    const detail = await this.#damageAfterMd5(md5s);
    const listed = [...md5s].map(([path, md5]) => ({ path, md5 }));
    if (!(this.#corruption?.kind === 'missing-file' && this.#corruption.file === MD5_PATH)) {
      const text = md5Text(listed);
      await this.#writeFile(MD5_PATH, text);
      this.#written.push({ path: MD5_PATH, bytes: Buffer.byteLength(text), image: undefined });
      md5s.set(MD5_PATH, await md5OfFile(this.#absolute(MD5_PATH)));
    }
    return this.#manifest(md5s, detail);
  }

  /** On failure: remove what this run created, so the directory can be used again. */
  async removeWritten(): Promise<void> {
    for (const { path } of this.#written) await rm(this.#absolute(path), { force: true });
    await rm(this.#absolute(MD5_PATH), { force: true });
    if (!this.#madeFolders) return;
    await rmdir(join(this.#dir, 'update', 'firehose')).catch(() => undefined);
    await rmdir(join(this.#dir, 'update')).catch(() => undefined);
  }

  async #writeImage(image: PlannedImage): Promise<void> {
    if (this.#signal?.aborted === true) throw toCancelled(this.#signal);
    const identity: ImageIdentity = {
      image: image.name,
      partition: image.partitions[0]?.name ?? '',
      model: this.#declared.model,
      revision: this.#declared.revision,
      subVersion: this.#options.subVersion,
    };
    const content = new SeededBytes(`modem-medic package|${this.#options.seed}|${this.#declared.model}|${this.#declared.revision}|${image.path}`);
    const notElf = this.#corruption?.kind === 'not-elf-programmer' && image.path === PROGRAMMER_PATH;
    const container: DescriptorContainer = notElf ? 'plain' : image.spec.container;
    logDebug(this.#logger, `writing ${image.path}`, { bytes: image.size, container });
    this.#written.push({ path: image.path, bytes: image.size, image: { container, partitions: image.partitions.map((partition) => partition.name) } });
    if (container === 'plain') {
      await writePlainImage(this.#absolute(image.path), {
        size: image.size,
        identity,
        content,
        signal: this.#signal,
        onProgress: (written) => this.#onProgress?.({ path: image.path, written, bytes: image.size }),
      });
      return;
    }
    const bytes =
      container === 'elf'
        ? buildElfImage({ size: image.size, loadAddress: image.spec.loadAddress ?? 0, identity, content })
        : container === 'mibib'
          ? buildMibib(this.#plan.layout, this.#plan.pageSize, identity)
          : buildPartitionMbn(this.#plan.layout, identity);
    await writeFile(this.#absolute(image.path), bytes, { flag: 'wx' });
    this.#onProgress?.({ path: image.path, written: bytes.length, bytes: bytes.length });
  }

  /** XML files; truncated-xml cuts the chosen one before its md5 is taken. */
  async #writeText(path: string, text: string): Promise<void> {
    const cut = this.#corruption?.kind === 'truncated-xml' && this.#corruption.file === path ? text.slice(0, truncationPoint(text)) : text;
    this.#written.push({ path, bytes: Buffer.byteLength(cut), image: undefined });
    await this.#writeFile(path, cut);
  }

  async #writeFile(path: string, text: string): Promise<void> {
    await writeFile(this.#absolute(path), text, { flag: 'wx' });
    this.#onProgress?.({ path, written: Buffer.byteLength(text), bytes: Buffer.byteLength(text) });
  }

  /** md5-mismatch and missing-file happen after the md5s are known; the others were built in. */
  async #damageAfterMd5(md5s: ReadonlyMap<string, string>): Promise<string> {
    const corruption = this.#corruption;
    if (corruption === undefined) return '';
    const file = corruption.file;
    switch (corruption.kind) {
      case 'md5-mismatch': {
        if (file === undefined) return '';
        const offset = await damageOneByte(this.#absolute(file));
        return `${file}: byte ${offset} changed after md5.txt was written (md5.txt says ${md5s.get(file) ?? '?'})`;
      }
      case 'missing-file':
        if (file === undefined) return '';
        if (file !== MD5_PATH) await unlink(this.#absolute(file));
        return `${file} is missing${file === MD5_PATH ? '' : ' but listed in md5.txt'}`;
      case 'truncated-xml':
        return `${file ?? '?'} is cut off in the middle of an element`;
      case 'path-traversal':
        return `the rawprogram writes ${traversalFilename(file?.slice(file.lastIndexOf('/') + 1) ?? '?')}, outside the package`;
      case 'wrong-model':
        return `the package is ${this.#declared.revision} for ${this.#declared.model}, not ${this.#options.model}`;
      case 'oversized-image': {
        const image = file === undefined ? undefined : findImage(this.#plan, file);
        const room = image === undefined ? 0 : Math.min(...image.partitions.map((partition) => partitionBytes(this.#plan, partition)));
        return `${file ?? '?'} is ${image?.size ?? 0} bytes, its ${image?.partitions.map((p) => p.name).join('/') ?? ''} partition holds ${room}`;
      }
      case 'not-elf-programmer':
        return `${PROGRAMMER_PATH} is not an ELF file`;
    }
  }

  #contentsFiles(): { path: string; build: BuildName }[] {
    const images = this.#plan.images.map((image) => ({ path: image.path, build: image.spec.build }));
    const xml = this.#written.filter(({ image }) => image === undefined).map(({ path }) => ({ path, build: XML_BUILDS[path] ?? 'common' }));
    return [...images, ...xml];
  }

  #manifest(md5s: ReadonlyMap<string, string>, detail: string): PackageManifest {
    const missing = this.#corruption?.kind === 'missing-file' ? this.#corruption.file : undefined;
    const files = this.#written.map(({ path, bytes, image }): PackageFile => ({ path, bytes, md5: md5s.get(path) ?? '', present: path !== missing, image }));
    const present = files.filter((file) => file.present);
    return {
      dir: this.#dir,
      ...this.#options,
      declared: this.#declared,
      files,
      totalBytes: sum(present.map((file) => file.bytes)),
      imageBytes: sum(present.filter((file) => file.image !== undefined).map((file) => file.bytes)),
      corrupt: this.#corruption === undefined ? undefined : { kind: this.#corruption.kind, file: this.#corruption.file, detail },
    };
  }

  #absolute(path: string): string {
    return join(this.#dir, ...path.split('/'));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
