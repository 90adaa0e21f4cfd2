// The simulated NAND flash of the module (see each file for the sheet sections it follows).
export { SimNandError, type SimNandErrorCode } from './nand-errors.js';
export { NAND_PRESETS, nandGeometry, blockBytes, totalPages, totalBytes, sameGeometry, presetOf, isNandPresetName, type NandGeometry, type NandGeometryOptions, type NandPresetName } from './nand-geometry.js';
export { moduleSleep, type ModuleSleep, type ModuleTimeOptions } from './module-time.js';
export { TYPICAL_NAND_TIMING, NandBusyTime, type NandTiming } from './nand-timing.js';
export { NandFlash, type BlockImage, type EraseResult, type NandFlashOptions, type PageRead, type PageState, type ProgramResult } from './nand-flash.js';
export { saveNand, loadNand, type LoadNandOptions } from './nand-persistence.js';
export { EC25_PARTITION_LAYOUT, PartitionTable, layoutBytes, partitionLayout, type PartitionSpec } from './partition-table.js';
export { parseBadBlocks, parseGeometry, resolveBadBlocks, checkStoredBadBlocks, type BadBlockSpec } from './bad-blocks.js';
export { inspectPartition, isPartitionErased, readPartitionImage, bootImageLooksValid, type PartitionReport } from './partition-state.js';
