import { request as httpRequestRaw, type IncomingMessage } from 'node:http';

// One HTTP exchange on node:http, for the long-running parts (the guard's uplink, the simulator's
// control client the guard polls while a module boots). Not fetch(): Node's fetch loads undici and
// its llhttp WebAssembly on first use, ~20 MB of RSS measured beside node:http on Node 20
// (bench/guard's target is < 60 MB for the whole agent).

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** A longer answer is cut off with an error instead of filling memory. Default 8 MiB. */
  readonly maxBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** Rejects with the socket's error (ECONNREFUSED, …), the signal's reason, or an error for an oversized answer. */
export async function httpRequest(url: string | URL, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const request = target.protocol === 'https:' ? (await import('node:https')).request : target.protocol === 'http:' ? httpRequestRaw : undefined;
  if (request === undefined) throw new TypeError(`${target.protocol} URLs are not supported (http: or https:)`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  options.signal?.throwIfAborted();
  return new Promise<HttpAnswer>((resolve, reject) => {
    // Settles once: the first of a socket error, an abort and a cut-off answer wins.
    const fail = (error: Error): void => {
      reject(options.signal?.aborted === true ? (options.signal.reason as Error) : error);
    };
    const outgoing = request(target, { method: options.method ?? 'GET', headers, ...(options.signal === undefined ? {} : { signal: options.signal }) }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          response.destroy(new RangeError(`${target.origin} sent more than ${maxBytes} bytes in one answer`));
          return;
        }
        chunks.push(chunk);
      });
      response.once('error', fail);
      response.once('end', () => {
        const status = response.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
      });
      response.once('close', () => {
        if (!response.complete) fail(new Error(`${target.origin} closed the connection in the middle of its answer`));
      });
    });
    outgoing.once('error', fail);
    outgoing.end(body);
  });
}
