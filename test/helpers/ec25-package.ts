// A synthetic EC25 firmware package with the layout of quectel-ec25.md §2.6 (EC25EFAR06A01M4G as
// DEFC documents it): contents.xml, md5.txt in Quectel's `<drive>:\<path>\<file>:<MD5>` form,
// update/ with the images, update/firehose/ with the programmer, rawprogram/patch XML and the MIBIB
// image. Partition offsets are the real ones of that package (512 MiB NAND, 4 KiB pages, 64 pages
// per block); the images are small recognisable byte patterns. Everything is written here by hand,
// independently of src/, so a parser bug cannot cancel out.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import yazl from 'yazl';
import { buildSyntheticElf } from './synthetic-elf.js';

export const REVISION = 'EC25EFAR06A01M4G';
export const PAGE = 4096;
export const PAGES_PER_BLOCK = 64;
const BLOCK = PAGE * PAGES_PER_BLOCK;
export const TOTAL_PAGES = (512 * 1024 * 1024) / PAGE;

/** The EC25EFAR06A01M4G partition table (quectel-ec25.md §2.6 names; DEFC offsets), in bytes. */
export const EC25_PARTITIONS: readonly { readonly name: string; readonly offset: number; readonly length: number }[] = [
  { name: '0:SBL', offset: 0x0, length: 0x280000 },
  { name: '0:MIBIB', offset: 0x280000, length: 0x280000 },
  { name: '0:EFS2', offset: 0x500000, length: 0x1600000 },
  { name: '0:sys_rev', offset: 0x1b00000, length: 0x500000 },
  { name: '0:RAWDATA', offset: 0x2000000, length: 0x300000 },
  { name: '0:TZ', offset: 0x2300000, length: 0x140000 },
  { name: '0:RPM', offset: 0x2440000, length: 0x180000 },
  { name: '0:aboot', offset: 0x25c0000, length: 0x140000 },
  { name: '0:boot', offset: 0x2700000, length: 0x900000 },
  { name: '0:recovery', offset: 0x3000000, length: 0x900000 },
  { name: '0:image_back', offset: 0x3900000, length: 0x640000 },
  { name: '0:recoveryfs_B', offset: 0x3f40000, length: 0xe00000 },
  { name: '0:scrub', offset: 0x4d40000, length: 0x1080000 },
  { name: '0:modem', offset: 0x5dc0000, length: 0x3e00000 },
  { name: '0:misc', offset: 0x9bc0000, length: 0x140000 },
  { name: '0:recoveryfs', offset: 0x9d00000, length: 0x1e00000 },
  { name: '0:qdsp6sw_B', offset: 0xbb00000, length: 0x3800000 },
  { name: '0:sys_back', offset: 0xf300000, length: 0x3a00000 },
  { name: '0:system', offset: 0x12d00000, length: 0xffffffff },
];

/** What the rawprogram writes where (DEFC's rawprogram listing), with the synthetic image sizes. */
export const EC25_PROGRAMS: readonly { readonly partition: string; readonly file: string; readonly size: number }[] = [
  { partition: '0:SBL', file: '..\\sbl1.mbn', size: 250_000 },
  { partition: '0:MIBIB', file: 'partition_complete_p4K_b256K.mbn', size: 4 * PAGE },
  { partition: '0:TZ', file: '..\\tz.mbn', size: 300_001 },
  { partition: '0:RPM', file: '..\\rpm.mbn', size: 160_000 },
  { partition: '0:aboot', file: '..\\appsboot.mbn', size: 120_000 },
  { partition: '0:boot', file: '..\\mdm9607-perf-boot.img', size: 500_000 },
  { partition: '0:recovery', file: '..\\mdm9607-perf-boot.img', size: 500_000 },
  { partition: '0:recoveryfs_B', file: '..\\mdm-perf-recovery-image-mdm9607-perf.ubi', size: 700_000 },
  { partition: '0:modem', file: '..\\NON-HLOS.ubi', size: 1_200_000 },
  { partition: '0:recoveryfs', file: '..\\mdm-perf-recovery-image-mdm9607-perf.ubi', size: 700_000 },
  { partition: '0:qdsp6sw_B', file: '..\\NON-HLOS.ubi', size: 1_200_000 },
  { partition: '0:sys_back', file: '..\\mdm9607-perf-sysfs.ubi', size: 900_000 },
  { partition: '0:system', file: '..\\mdm9607-perf-sysfs.ubi', size: 900_000 },
];

export type PackageFiles = Map<string, Uint8Array>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function text(files: PackageFiles, path: string): string {
  const bytes = files.get(path);
  if (bytes === undefined) throw new Error(`fixture has no ${path}`);
  return decoder.decode(bytes);
}

export function setText(files: PackageFiles, path: string, content: string): void {
  files.set(path, encoder.encode(content));
}

/** Bytes whose values depend on the file name and offset, so two images never look alike. */
export function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + seed * 7 + (i >>> 9)) & 0xff;
  return bytes;
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The MIBIB system partition table (edl-protocols.md §2.9), at page 1 as in DEFC's strings dump. */
export function buildMibib(partitions = EC25_PARTITIONS, pageSize = PAGE, blockSize = BLOCK): Uint8Array {
  const image = new Uint8Array(4 * pageSize).fill(0xff);
  const view = new DataView(image.buffer);
  const at = pageSize;
  view.setUint32(at, 0x55ee73aa, true);
  view.setUint32(at + 4, 0xe35ebddb, true);
  view.setUint32(at + 8, 4, true);
  view.setUint32(at + 12, partitions.length, true);
  partitions.forEach((partition, index) => {
    const entry = at + 16 + index * 28;
    image.fill(0, entry, entry + 16);
    image.set(encoder.encode(partition.name), entry);
    view.setUint32(entry + 16, partition.offset / blockSize, true);
    view.setUint32(entry + 20, partition.length === 0xffffffff ? 0xffffffff : partition.length / blockSize, true);
    image.set([0xff, 0x01, partition.name === '0:EFS2' || partition.name === '0:MIBIB' ? 0xff : 0x00, 0], entry + 24);
  });
  return image;
}

function partitionBytes(name: string): { offset: number; length: number } {
  const partition = EC25_PARTITIONS.find((entry) => entry.name === name);
  if (partition === undefined) throw new Error(name);
  return { offset: partition.offset, length: partition.length === 0xffffffff ? TOTAL_PAGES * PAGE - partition.offset : partition.length };
}

/** rawprogram_nand_p4K_b256K_update.xml the way Quectel writes it: one element per line, CRLF. */
export function rawprogramXml(): string {
  const lines = ['<?xml version="1.0" ?>', '<data>', '  <!--NOTE: This is an ** Autogenerated file **-->'];
  const attrs = (offset: number, length: number): string =>
    `PAGES_PER_BLOCK="${PAGES_PER_BLOCK}" SECTOR_SIZE_IN_BYTES="${PAGE}" num_partition_sectors="${length / PAGE}" physical_partition_number="0" start_sector="${offset / PAGE}"`;
  const sbl = partitionBytes('0:SBL');
  lines.push(`  <erase ${attrs(sbl.offset, sbl.length)}/>`);
  // A Quectel vendor line (fwupd saw these attributes, edl-protocols.md §2.6).
  lines.push(`  <erase vendor="quectel" a_rawdata_start_sector="${0x2000000 / PAGE}" b_rawdata_num_sector="${0x300000 / PAGE}" c_project_name="EC25" d_project_type="EFA"/>`);
  for (const program of EC25_PROGRAMS) {
    const { offset, length } = partitionBytes(program.partition);
    if (program.partition !== '0:SBL') lines.push(`  <erase ${attrs(offset, length)}/>`);
    lines.push(`  <program ${attrs(offset, length)} filename="${program.file}" label="${program.partition.slice(2).toLowerCase()}"/>`);
  }
  // Qualcomm's generators list partitions without an image with an empty filename (skipped).
  const efs2 = partitionBytes('0:EFS2');
  lines.push(`  <program ${attrs(efs2.offset, efs2.length)} filename="" label="efs2"/>`);
  lines.push('</data>');
  return `${lines.join('\r\n')}\r\n`;
}

export function patchXml(): string {
  return [
    '<?xml version="1.0" ?>',
    '<data>',
    '  <!--NOTE: This is an ** Autogenerated file **-->',
    '  <patch SECTOR_SIZE_IN_BYTES="4096" byte_offset="0" filename="partition_complete_p4K_b256K.mbn" physical_partition_number="0" size_in_bytes="4" start_sector="0" value="0" what="host-side fix-up"/>',
    '</data>',
    '',
  ].join('\r\n');
}

export function contentsXml(revision: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<contents>',
    `  <product_info><product_name>${revision}</product_name><hlos_type>LE</hlos_type><chipid>MDM9607</chipid></product_info>`,
    '  <builds_flat><build><name>modem</name><role>modem</role><build_id>MPSS.JO.2.0.c1.1-00008-9607_GENNS_PACK-1</build_id></build></builds_flat>',
    '</contents>',
    '',
  ].join('\r\n');
}

export interface FixtureOptions {
  readonly revision?: string;
  /** Leave md5.txt out. */
  readonly withoutMd5?: boolean;
}

/** The package's files, by path relative to its root. */
export function ec25PackageFiles(options: FixtureOptions = {}): PackageFiles {
  const revision = options.revision ?? REVISION;
  const files: PackageFiles = new Map();
  setText(files, 'contents.xml', contentsXml(revision));
  files.set('Quectel_EC25-E-FA_Firmware_Release_Notes_V0601.pdf', encoder.encode('%PDF-1.4 release notes'));
  let seed = 1;
  for (const program of EC25_PROGRAMS) {
    if (program.file.startsWith('..\\')) {
      const path = `update/${program.file.slice(3)}`;
      if (!files.has(path)) files.set(path, pattern(program.size, seed));
      seed += 1;
    }
  }
  for (const name of ['ENPRG9x07.mbn', 'NPRG9x07.mbn', 'partition.mbn']) files.set(`update/${name}`, pattern(20_000, seed++));
  setText(files, 'update/partition_nand.xml', '<?xml version="1.0"?>\r\n<image><partitions/></image>\r\n');
  files.set('update/firehose/prog_nand_firehose_9x07.mbn', buildSyntheticElf().bytes);
  setText(files, 'update/firehose/rawprogram_nand_p4K_b256K_update.xml', rawprogramXml());
  setText(files, 'update/firehose/patch_p4K_b256K.xml', patchXml());
  files.set('update/firehose/partition_complete_p4K_b256K.mbn', buildMibib());
  if (options.withoutMd5 !== true) rebuildMd5(files, revision);
  return files;
}

/** md5.txt for every file (as Quectel's build machine wrote it: drive, folder, backslashes, CRLF). */
export function rebuildMd5(files: PackageFiles, folder = REVISION): void {
  files.delete('md5.txt');
  const lines = [...files].filter(([path]) => path.startsWith('update/')).map(([path, bytes]) => `D:\\${folder}\\${path.replace(/\//g, '\\')}:${md5Hex(bytes)}`);
  setText(files, 'md5.txt', `${lines.join('\r\n')}\r\n`);
}

/** Writes the files under parent/name/ and returns that folder. */
export async function writePackageDir(parent: string, name: string, files: PackageFiles): Promise<string> {
  const root = join(parent, name);
  for (const [path, bytes] of files) {
    const full = join(root, ...path.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
  }
  return root;
}

/** A .zip with the files under `prefix` (e.g. "EC25EFAR06A01M4G/"), built with yazl. */
export async function writePackageZip(zipPath: string, files: PackageFiles, prefix = ''): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [path, bytes] of files) zip.addBuffer(Buffer.from(bytes), `${prefix}${path}`);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(zipPath);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out);
  });
}

/** What getstorageinfo reports for this 512 MiB NAND. */
export function ec25Storage(badBlocks: readonly number[] = []): { pageSize: number; pagesPerBlock: number; totalPages: number; badBlocks: readonly number[] } {
  return { pageSize: PAGE, pagesPerBlock: PAGES_PER_BLOCK, totalPages: TOTAL_PAGES, badBlocks };
}

/** Start sector and sector count of a partition of the fixture layout. */
export function sectorsOf(name: string): { start: number; count: number } {
  const { offset, length } = partitionBytes(name);
  return { start: offset / PAGE, count: length / PAGE };
}
