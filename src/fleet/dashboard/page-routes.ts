import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMedicError } from '../../core/errors.js';
import type { FleetAnalytics } from '../analytics/index.js';
import type { SqlQueryable } from '../store/executor.js';
import type { Access } from './access.js';
import { html, type SafeHtml } from './html.js';
import { page } from './layout.js';
import { checkOperator } from './operators.js';
import { analysisPage } from './pages/analysis-page.js';
import { loginPage } from './pages/login-page.js';
import { overviewPage } from './pages/overview-page.js';
import { unitPage } from './pages/unit-page.js';
import { analyticsOfQuery, filterOfQuery } from './request-filter.js';
import { clearedSessionCookie, newSessionValue, sessionCookie } from './session.js';
import { stylesheet } from './stylesheet.js';

// No script at all on these pages, so the policy forbids every script: even a missed escape could
// not run one. Inline style attributes carry the bar widths.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageDependencies {
  readonly db: SqlQueryable;
  readonly analytics: FleetAnalytics;
  readonly access: Access;
}

function send(reply: FastifyReply, body: SafeHtml, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(body.text);
}

/** Only a path of this site: never `//evil.example` or `https://…` (an open redirect). */
function safeNext(next: string | null | undefined): string {
  return next !== null && next !== undefined && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function messagePage(title: string, message: string, operator: string): SafeHtml {
  return page(title, html`<main><h1>${title}</h1><p class="sub">${message}</p><p><a href="/">← Fleet overview</a></p></main>`, { operator });
}

export function registerPageRoutes(app: FastifyInstance, deps: PageDependencies): void {
  const { access, analytics } = deps;

  /** The operator, or a redirect to the login page that comes back here afterwards. */
  const operatorOr = async (request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> => {
    const operator = await access.operatorOf(request);
    if (operator === undefined) await reply.code(303).header('location', `/login?next=${encodeURIComponent(request.url)}`).send();
    return operator;
  };

  /** Bad query parameters show as a page, not as the API's JSON. */
  const view = (render: (request: FastifyRequest, operator: string) => Promise<{ body: SafeHtml; status?: number }>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const operator = await operatorOr(request, reply);
    if (operator === undefined) return reply;
    try {
      const { body, status } = await render(request, operator);
      return await Promise.resolve(send(reply, body, status));
    } catch (error) {
      if (isMedicError(error) && error.code === 'USAGE') return send(reply, messagePage('Bad request', `${error.message}. ${error.hint ?? ''}`, operator), 400);
      throw error;
    }
  };

  app.get('/assets/dashboard.css', (_request, reply) => reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet));

  app.get('/login', async (request, reply) => {
    if ((await access.operatorOf(request)) !== undefined) return reply.code(303).header('location', '/').send();
    return send(reply, loginPage({ next: safeNext((request.query as Record<string, string | undefined>)['next']) }));
  });

  app.post('/login', async (request, reply) => {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const name = (form.get('name') ?? '').trim();
    const password = form.get('password') ?? '';
    const next = safeNext(form.get('next'));
    if (name === '' || password === '' || !(await checkOperator(deps.db, name, password))) {
      return send(reply, loginPage({ error: 'Wrong operator name or password.', next, name }), 401);
    }
    const value = newSessionValue(await access.sessionSecret(), name);
    return reply.code(303).header('set-cookie', sessionCookie(value, request.protocol === 'https')).header('location', next).send();
  });

  app.post('/logout', (_request, reply) => reply.code(303).header('set-cookie', clearedSessionCookie()).header('location', '/login').send());

  app.get(
    '/',
    view(async (request, operator) => {
      const query = request.query as Record<string, unknown>;
      const filter = filterOfQuery(query);
      return { body: overviewPage(await analytics.overview(filter, analyticsOfQuery(query)), filter, operator) };
    }),
  );

  app.get(
    '/units/:id',
    view(async (request, operator) => {
      const { id } = request.params as { id: string };
      const options = analyticsOfQuery(request.query as Record<string, unknown>);
      const unit = await analytics.unitRisk(id, options);
      if (unit === undefined) return { body: messagePage('Unknown unit', `No unit "${id}" in this fleet.`, operator), status: 404 };
      return { body: unitPage(unit, await analytics.unitHistory(id, options), { operator, options: analytics.options(options) }) };
    }),
  );

  app.get(
    '/analysis',
    view(async (request, operator) => {
      const query = request.query as Record<string, unknown>;
      const filter = filterOfQuery(query);
      return { body: analysisPage(await analytics.analysis(filter, analyticsOfQuery(query)), filter, operator) };
    }),
  );
}
