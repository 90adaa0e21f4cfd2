import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RiskEvent } from '../../src/guard/events/index.js';
import type { EventType } from '../../src/guard/events/index.js';
import { fullExamples } from '../helpers/risk-events.js';

/** The real PostgreSQL and Mosquitto of this machine (CONTRIBUTING.md: real parts). */
export const PG_URL = process.env['MEDIC_TEST_PG'] ?? 'postgres://127.0.0.1:5432/test';
export const MQTT_URL = process.env['MEDIC_TEST_MQTT'] ?? 'mqtt://127.0.0.1:1883';

function adminClient(): pg.Client {
  // As psql would: the OS user when the URL names none (the store does the same, pg-executor.ts).
  const url = new URL(PG_URL);
  if (url.username === '') url.username = process.env['USER'] ?? 'root';
  return new pg.Client({ connectionString: url.toString() });
}

/** A schema of its own for one test run, dropped afterwards, so runs and tests never meet. */
export function freshSchema(): Promise<{ name: string; [Symbol.asyncDispose]: () => Promise<void>; drop: () => Promise<void> }> {
  const name = `medic_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const drop = async (): Promise<void> => {
    const client = adminClient();
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  return Promise.resolve({ name, drop, [Symbol.asyncDispose]: drop });
}

/** A topic prefix of its own, so runs on the shared Mosquitto never see each other's messages. */
export function freshTopicPrefix(): string {
  return `medic-test/${randomUUID()}/medic/v1`;
}

const types = Object.keys(fullExamples) as EventType[];

/** A valid event of `unit` with sequence number `seq`; the type cycles through all 16. */
export function eventOf(unit: string, seq: number, bootSession = 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90'): RiskEvent {
  const type = types[seq % types.length] ?? 'boot';
  return {
    schema: 1,
    unit,
    bootSession,
    seq,
    wallTime: new Date(Date.UTC(2026, 10, 23, 22, 0, 0) + seq * 1000).toISOString(),
    monoMs: 1000 + seq,
    type,
    data: fullExamples[type],
  } as RiskEvent;
}

export function eventsOf(unit: string, from: number, count: number): RiskEvent[] {
  return Array.from({ length: count }, (_, index) => eventOf(unit, from + index));
}

export function basicAuth(unit: string, secret: string): string {
  return `Basic ${Buffer.from(`${unit}:${secret}`).toString('base64')}`;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export async function post(url: string, options: { auth?: string; body: string; contentType?: string }): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...(options.auth === undefined ? {} : { authorization: options.auth }) },
    body: options.body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function get(url: string, token?: string): Promise<HttpAnswer> {
  const response = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The refusal counts of GET /api/v1/stats. */
export async function refusalCounts(http: string, token: string): Promise<Record<string, number>> {
  const stats = await get(`${http}/api/v1/stats`, token);
  return stats.body['refusals'] as Record<string, number>;
}
