import { isMedicError } from '../../core/errors.js';
import { fleetErrorCodes } from '../errors.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { countRefusals, ingestBatch, type IngestCounters, type IngestLimits, type IngestResult, type Refusal, type UnitAuthenticator } from '../ingest/index.js';
import type { FleetStore } from '../store/index.js';
import { registerUnit } from '../units/index.js';
import { isAdmin, unitCredentials } from './credentials-header.js';

// fastify 5 (ecosystem-aesthetics.md §2.8). Bodies are taken as text and parsed by the ingest
// code itself, so a malformed body is refused with our reason and counted, not fastify's.

export interface HttpServerOptions {
  readonly store: FleetStore;
  readonly authenticator: UnitAuthenticator;
  readonly limits: IngestLimits;
  /** Operators' token for the read APIs (one token for now; per-operator logins come with the dashboard). */
  readonly adminToken: string;
  readonly counters: IngestCounters;
  /** More routes on the same app (the dashboard and its APIs), added before it starts. */
  readonly routes?: readonly ((app: FastifyInstance) => void)[];
}

const statusOfBatchRefusal: Readonly<Record<string, number>> = {
  'malformed-json': 400,
  'malformed-batch': 400,
  'invalid-event': 400,
  oversized: 413,
  unauthenticated: 401,
  'unit-mismatch': 403,
  'seq-conflict': 409,
};

function ingestReply(result: IngestResult): { status: number; body: object } {
  const refused = result.batchRefusal === undefined ? result.refused : [result.batchRefusal];
  const status = result.batchRefusal !== undefined ? (statusOfBatchRefusal[result.batchRefusal.reason] ?? 400) : result.refused.length > 0 ? 422 : 200;
  return {
    status,
    body: {
      ok: refused.length === 0,
      accepted: result.accepted,
      duplicates: result.duplicates,
      refused,
      ...(result.highestStoredSeq === undefined ? {} : { highestStoredSeq: result.highestStoredSeq }),
    },
  };
}

function refusalBody(refusal: Refusal): object {
  return { ok: false, accepted: 0, duplicates: 0, refused: [refusal] };
}

function queryNumber(value: unknown, fallback: number, range: { min: number; max: number }): number | undefined {
  if (value === undefined) return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number >= range.min && number <= range.max ? number : undefined;
}

export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { store, authenticator, limits } = options;
  const app = Fastify({ bodyLimit: limits.maxBytes, logger: false });
  const senders = new WeakMap<FastifyRequest, string>();

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.setErrorHandler(async (error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const unit = senders.get(request);
    if (error.statusCode === 413 && unit !== undefined) {
      const refusal: Refusal = { reason: 'oversized', detail: `the body is larger than ${limits.maxBytes} bytes` };
      await countRefusals(store, unit, [refusal]);
      return reply.code(413).send(refusalBody(refusal));
    }
    if (isMedicError(error)) return reply.code(error.code === fleetErrorCodes.unitExists ? 409 : 400).send({ ok: false, error: error.toJSON() });
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ ok: false, error: { code: error.code ?? 'INTERNAL', message: error.message } });
  });

  const requireUnit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const credentials = unitCredentials(request.headers.authorization);
    if (credentials !== undefined && (await authenticator.authenticate(credentials.unit, credentials.secret))) {
      senders.set(request, credentials.unit);
      return;
    }
    const refusal: Refusal = {
      reason: 'unauthenticated',
      detail: credentials === undefined ? 'no unit credentials (Authorization: Basic unit:secret or Bearer unit:secret)' : `wrong secret or unknown unit "${credentials.unit.slice(0, 64)}"`,
    };
    await countRefusals(store, '', [refusal]);
    await reply.code(401).header('www-authenticate', 'Basic realm="medic fleet"').send(refusalBody(refusal));
  };

  const requireAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!isAdmin(request.headers.authorization, options.adminToken)) {
      await reply.code(401).header('www-authenticate', 'Bearer realm="medic fleet admin"').send({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'this API needs the admin token (Authorization: Bearer <token>)' } });
    }
  };

  app.post('/api/v1/events', { onRequest: requireUnit }, async (request, reply) => {
    const unit = senders.get(request) ?? '';
    const body = typeof request.body === 'string' ? request.body : '';
    const ndjson = (request.headers['content-type'] ?? '').includes('ndjson');
    const result = await ingestBatch(store, unit, body, { limits, format: ndjson ? 'ndjson' : 'json' });
    options.counters.httpBatches += 1;
    options.counters.events += result.accepted + result.duplicates;
    const { status, body: answer } = ingestReply(result);
    return reply.code(status).send(answer);
  });

  app.get('/api/v1/health', (_request, reply) => reply.send({ ok: true, store: store.kind, handledByThisProcess: options.counters }));

  app.get('/api/v1/units', { onRequest: requireAdmin }, async () => ({ ok: true, units: await store.listUnits() }));

  app.post('/api/v1/units', { onRequest: requireAdmin }, async (request, reply) => {
    let value: unknown;
    try {
      value = JSON.parse(typeof request.body === 'string' ? request.body : '');
    } catch {
      return reply.code(400).send({ ok: false, error: { code: 'USAGE', message: 'expected JSON {"id":"unit-1","batch":"…","tags":["…"]}' } });
    }
    const { id, batch, tags, secret } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof id !== 'string' || (batch !== undefined && typeof batch !== 'string') || (secret !== undefined && typeof secret !== 'string') || (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))) {
      return reply.code(400).send({ ok: false, error: { code: 'USAGE', message: 'expected {"id": string, "batch"?: string, "tags"?: string[], "secret"?: string}' } });
    }
    const added = await registerUnit(store, { id, ...(batch === undefined ? {} : { batch }), ...(tags === undefined ? {} : { tags }), ...(secret === undefined ? {} : { secret }) });
    return reply.code(201).send({ ok: true, ...added });
  });

  app.get('/api/v1/units/:id/events', { onRequest: requireAdmin }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const query = request.query as Record<string, unknown>;
    const after = queryNumber(query['after'], 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const limit = queryNumber(query['limit'], 100, { min: 1, max: 10_000 });
    if (after === undefined || limit === undefined) return reply.code(400).send({ ok: false, error: { code: 'USAGE', message: 'after must be an integer ≥ 0, limit an integer 1…10000' } });
    const events = await store.unitEvents(id, { after, limit });
    return { ok: true, unit: id, events, ...(events.length === limit ? { next: events[events.length - 1]?.seq } : {}) };
  });

  app.get('/api/v1/stats', { onRequest: requireAdmin }, async () => ({ ok: true, ...(await store.stats()) }));

  for (const add of options.routes ?? []) add(app);

  await app.ready();
  return app;
}
