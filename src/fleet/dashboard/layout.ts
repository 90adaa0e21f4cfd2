import { html, type SafeHtml } from './html.js';

export type Section = 'overview' | 'analysis' | 'unit';

/** The page shell: dark header with the navigation and who is logged in. */
export function page(title: string, body: SafeHtml, context: { readonly operator?: string; readonly section?: Section }): SafeHtml {
  const link = (href: string, label: string, section: Section): SafeHtml => html`<a href="${href}" class="${context.section === section ? 'active' : ''}">${label}</a>`;
  const header =
    context.operator === undefined
      ? html``
      : html`<header class="top">
  <span class="brand"><span class="mark"></span>medic fleet</span>
  <nav>${link('/', 'Overview', 'overview')}${link('/analysis', 'Failure analysis', 'analysis')}</nav>
  <span class="who"><span>${context.operator}</span><form method="post" action="/logout"><button type="submit">Log out</button></form></span>
</header>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · medic fleet</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
${header}
${body}
</body>
</html>
`;
}
