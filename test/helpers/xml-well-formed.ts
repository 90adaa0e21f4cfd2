// A small XML well-formedness check for test assertions (fast-xml-parser's validator is
// deprecated): an optional declaration, comments, one root element, every element closed in
// order, attributes as name="value" pairs, text without a bare < or &. Returns undefined when the
// document is well-formed, else what is wrong.

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTES = new RegExp(`^(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*\\s*$`);
const TOKEN = new RegExp(`<\\?xml[^>]*\\?>|<!--[\\s\\S]*?-->|<(/?)(${NAME})([^<>]*?)(/?)>|<|[^<]+`, 'g');

export function xmlProblem(text: string): string | undefined {
  const open: string[] = [];
  let roots = 0;
  let at = 0;
  for (const match of text.matchAll(TOKEN)) {
    const [token, closing, name, attributes, selfClosing] = match;
    at = match.index + token.length;
    if (token.startsWith('<?xml')) {
      if (match.index !== 0) return 'XML declaration not at the start';
      continue;
    }
    if (token.startsWith('<!--')) continue;
    if (name === undefined) {
      if (token === '<') return `a bare < at ${match.index}`;
      if (open.length === 0 && token.trim().length > 0) return `text outside the root element at ${match.index}`;
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(token)) return `a bare & at ${match.index}`;
      continue;
    }
    if (closing === '/') {
      if (open.pop() !== name) return `</${name}> does not close the open element`;
      continue;
    }
    if (!ATTRIBUTES.test(attributes ?? '')) return `<${name}> has malformed attributes`;
    if (open.length === 0) roots += 1;
    if (roots > 1) return 'more than one root element';
    if (selfClosing !== '/') open.push(name);
  }
  if (at !== text.length) return 'unreadable tail';
  if (roots === 0) return 'no root element';
  if (open.length > 0) return `<${open.join('><')}> never closed`;
  return undefined;
}
