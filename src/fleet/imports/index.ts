// Imports of issue #6: the rework log (`medic log --json`) and the factory's production records.
export { parseCsv, type CsvParse, type CsvRecord } from './csv.js';
export { ImportError, importErrorCodes, type ImportErrorCode, type ImportProblem } from './import-error.js';
export { importProduction, parseProductionCsv, type ProductionImportReport, type ProductionRecord } from './production-import.js';
export { importRework, parseReworkLines, type ReworkImportReport } from './rework-import.js';
export { relinkReworkRecords } from './rework-link.js';
