// The programmer's start-up burst (edl-protocols.md §2.2): "Binary build date …", then its
// command list — one line "Supported Functions: program configure … nop " in the boot.bf NAND
// build, or "Supported Functions (15):", one line per function, "End of supported functions 15"
// in newer builds. Fed line by line because the lines arrive as separate messages.

export class SupportedFunctionsCollector {
  #functions: string[] | undefined;
  #listing = false;

  /** The list once one was seen. */
  get functions(): readonly string[] | undefined {
    return this.#functions;
  }

  push(line: string): void {
    const text = line.trim();
    const oneLine = /^Supported Functions\s*:\s*(.*)$/i.exec(text);
    if (oneLine !== null) {
      this.#functions = (oneLine[1] ?? '').split(/\s+/).filter((name) => name !== '');
      return;
    }
    if (/^Supported Functions\s*\(\d+\)\s*:?$/i.test(text)) {
      this.#functions = [];
      this.#listing = true;
      return;
    }
    if (!this.#listing) return;
    if (/^End of supported functions/i.test(text)) {
      this.#listing = false;
      return;
    }
    if (/^[A-Za-z_][\w]*$/.test(text)) this.#functions?.push(text);
  }
}
