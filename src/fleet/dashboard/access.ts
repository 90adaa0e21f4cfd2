import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAdmin } from '../http/credentials-header.js';
import type { SqlQueryable } from '../store/executor.js';
import { operatorExists } from './operators.js';
import { cookieValue, operatorOfSession, SESSION_COOKIE, sessionSecret } from './session.js';

export type Reader = { readonly kind: 'admin' } | { readonly kind: 'operator'; readonly name: string };

/** Who is asking: the admin token (APIs, scripts) or an operator's session cookie (the dashboard). */
export class Access {
  private secret: Promise<Buffer> | undefined;

  constructor(
    private readonly db: SqlQueryable,
    private readonly adminToken: string,
  ) {}

  sessionSecret(): Promise<Buffer> {
    this.secret ??= sessionSecret(this.db);
    return this.secret;
  }

  async operatorOf(request: FastifyRequest): Promise<string | undefined> {
    const value = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (value === undefined) return undefined;
    const name = operatorOfSession(await this.sessionSecret(), value);
    // A removed operator's cookie stops working at once, though its signature still holds.
    return name !== undefined && (await operatorExists(this.db, name)) ? name : undefined;
  }

  async readerOf(request: FastifyRequest): Promise<Reader | undefined> {
    if (isAdmin(request.headers.authorization, this.adminToken)) return { kind: 'admin' };
    const name = await this.operatorOf(request);
    return name === undefined ? undefined : { kind: 'operator', name };
  }

  /** onRequest hook for the read APIs: the admin token or a session. */
  readonly requireReader = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if ((await this.readerOf(request)) === undefined) await unauthenticated(reply, 'this API needs the admin token (Authorization: Bearer <token>) or an operator session');
  };

  /** onRequest hook for the import APIs: the admin token only. */
  readonly requireAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!isAdmin(request.headers.authorization, this.adminToken)) await unauthenticated(reply, 'imports need the admin token (Authorization: Bearer <token>)');
  };
}

async function unauthenticated(reply: FastifyReply, message: string): Promise<void> {
  await reply.code(401).header('www-authenticate', 'Bearer realm="medic fleet admin"').send({ ok: false, error: { code: 'UNAUTHENTICATED', message } });
}
