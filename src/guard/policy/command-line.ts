// An application's AT command line split into the commands it carries, just far enough for the
// policy to see what it asks for. V.250 §5.4: after the "AT" prefix come basic commands (E0, I,
// &F) and extended ones (+NAME, with `?` read, `=?` test, `=args` set) joined by `;`.

export type CommandKind = 'exec' | 'read' | 'test' | 'set';

export interface CommandArg {
  readonly text: string;
  readonly quoted: boolean;
}

export interface LineCommand {
  /** Upper case: `+CFUN`, `+QCFG`; for basic commands the whole command, e.g. `E0`, `I`, `` (bare AT). */
  readonly name: string;
  readonly kind: CommandKind;
  readonly args: readonly CommandArg[];
  readonly extended: boolean;
}

/** Splits on `separator` outside double quotes; undefined when a quote is left open. */
function splitOutsideQuotes(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    if (char === separator && !inQuotes) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (inQuotes) return undefined;
  parts.push(current);
  return parts;
}

function parseArgs(text: string): CommandArg[] | undefined {
  const parts = splitOutsideQuotes(text, ',');
  if (parts === undefined) return undefined;
  return parts.map((part) => {
    const trimmed = part.trim();
    const quoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"');
    return { text: quoted ? trimmed.slice(1, -1) : trimmed, quoted };
  });
}

function parseExtended(segment: string): LineCommand | undefined {
  const match = /^([+$^][A-Za-z0-9_&]+)(.*)$/s.exec(segment.trim());
  const name = match?.[1];
  const rest = match?.[2]?.trim() ?? '';
  if (name === undefined) return undefined;
  const upper = name.toUpperCase();
  if (rest === '') return { name: upper, kind: 'exec', args: [], extended: true };
  if (rest === '?') return { name: upper, kind: 'read', args: [], extended: true };
  if (rest === '=?') return { name: upper, kind: 'test', args: [], extended: true };
  if (!rest.startsWith('=')) return undefined;
  const args = parseArgs(rest.slice(1));
  return args === undefined ? undefined : { name: upper, kind: 'set', args, extended: true };
}

/**
 * The commands of one line (`AT+CFUN=0;+CFUN=1` → two). Undefined when the line does not start
 * with AT or cannot be split (an open quote, an extended command without a name).
 */
export function parseCommandLine(line: string): readonly LineCommand[] | undefined {
  const trimmed = line.trim();
  if (!/^AT/i.test(trimmed)) return undefined;
  const segments = splitOutsideQuotes(trimmed.slice(2), ';');
  if (segments === undefined) return undefined;
  const commands: LineCommand[] = [];
  for (const [index, segment] of segments.entries()) {
    const text = segment.trim();
    if (text === '' && index > 0) continue;
    if (/^[+$^]/.test(text)) {
      const command = parseExtended(text);
      if (command === undefined) return undefined;
      commands.push(command);
      continue;
    }
    // "ATE1+CMEE=2": basic commands may run straight into an extended one (V.250 §5.4).
    const start = text.search(/[+$^]/);
    commands.push({ name: (start < 0 ? text : text.slice(0, start)).trim().toUpperCase(), kind: 'exec', args: [], extended: false });
    if (start < 0) continue;
    const command = parseExtended(text.slice(start));
    if (command === undefined) return undefined;
    commands.push(command);
  }
  return commands;
}
