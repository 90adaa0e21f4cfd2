import { attributeOf, type XmlLineElement } from './line-xml.js';
import { problem, type PackageProblem } from './problems.js';

// Numeric attributes of rawprogram/patch lines. The NAND programmer takes whole numbers only;
// expressions such as `NUM_DISK_SECTORS-33.` exist on eMMC/UFS builds (edl-protocols.md §2.1), and
// Qualcomm's generators sometimes end a number with '.', which is dropped.

const DECIMAL = /^(\d+)\.?$/;
const HEX = /^0x([0-9a-f]+)$/i;

export type NumberRead = { readonly ok: true; readonly value: number | undefined } | { readonly ok: false };

export class NumberReader {
  readonly problems: PackageProblem[] = [];
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** undefined when absent or empty; records a problem (and returns ok: false) when not a whole number. */
  optional(element: XmlLineElement, name: string): NumberRead {
    const text = attributeOf(element, name)?.trim();
    if (text === undefined || text === '') return { ok: true, value: undefined };
    const decimal = DECIMAL.exec(text);
    const hex = HEX.exec(text);
    const value = decimal?.[1] !== undefined ? Number(decimal[1]) : hex?.[1] !== undefined ? Number.parseInt(hex[1], 16) : Number.NaN;
    if (!Number.isSafeInteger(value)) {
      this.problems.push(problem('XML_BAD_ATTRIBUTE', `<${element.tag}> ${name}="${text}" is not a whole number`, { file: this.#file, line: element.line }));
      return { ok: false };
    }
    return { ok: true, value };
  }

  /** Records a problem when absent. */
  required(element: XmlLineElement, name: string): NumberRead {
    const read = this.optional(element, name);
    if (read.ok && read.value === undefined) {
      this.problems.push(problem('XML_BAD_ATTRIBUTE', `<${element.tag}> has no ${name}`, { file: this.#file, line: element.line }));
      return { ok: false };
    }
    return read;
  }
}
