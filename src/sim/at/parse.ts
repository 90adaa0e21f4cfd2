// Splits what follows "AT" into commands: basic ones (E0, I, &F) and extended ones (+NAME,
// +NAME?, +NAME=?, +NAME=args) separated by ';' (3GPP TS 27.007 §4). null = syntax error.
import type { AtArg, AtCall } from './types.js';

export function parseCommandLine(body: string): AtCall[] | null {
  const calls: AtCall[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body.charAt(i);
    if (c === ';' || c === ' ') {
      i += 1;
      continue;
    }
    if (c === '+') {
      const name = /^\+[A-Za-z][A-Za-z0-9]*/.exec(body.slice(i))?.[0];
      if (name === undefined) return null;
      i += name.length;
      let end = i;
      let quoted = false;
      while (end < body.length && (quoted || body.charAt(end) !== ';')) {
        if (body.charAt(end) === '"') quoted = !quoted;
        end += 1;
      }
      if (quoted) return null;
      const call = extended(name.toUpperCase(), body.slice(i, end).trim());
      if (call === null) return null;
      calls.push(call);
      i = end;
      continue;
    }
    const basic = /^(&?[A-Za-z])(\d*)/.exec(body.slice(i));
    if (basic?.[1] === undefined) return null;
    const digits = basic[2] ?? '';
    calls.push({ name: basic[1].toUpperCase(), kind: 'exec', args: digits === '' ? [] : [{ text: digits, quoted: false }] });
    i += basic[0].length;
  }
  return calls;
}

function extended(name: string, tail: string): AtCall | null {
  if (tail === '') return { name, kind: 'exec', args: [] };
  if (tail === '?') return { name, kind: 'read', args: [] };
  if (tail === '=?') return { name, kind: 'test', args: [] };
  if (!tail.startsWith('=')) return null;
  const args = splitArgs(tail.slice(1));
  return args === null ? null : { name, kind: 'set', args };
}

function splitArgs(text: string): AtArg[] | null {
  const args: AtArg[] = [];
  let current = '';
  let quoted = false;
  const push = (): boolean => {
    const trimmed = current.trim();
    current = '';
    if (trimmed.startsWith('"')) {
      if (trimmed.length < 2 || !trimmed.endsWith('"')) return false;
      args.push({ text: trimmed.slice(1, -1), quoted: true });
    } else {
      if (trimmed.includes('"')) return false;
      args.push({ text: trimmed, quoted: false });
    }
    return true;
  };
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      if (!push()) return null;
      continue;
    }
    current += c;
  }
  if (quoted || !push()) return null;
  return args;
}
