// A real HTTP server on loopback that replays recorded publisher answers (status, headers and body
// as recorded) and the failures fetchers must survive. Tests point a source's base URL at it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import { parse } from 'yaml';

export const RECORDED = join(import.meta.dirname, 'fixtures', 'recorded');

export interface ReplayAnswer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Failures: never answer, close the socket mid-answer, or send only the first `bytes`. */
  fault?: 'hang' | 'reset' | { truncateAt: number };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Route = (req: ReceivedRequest) => ReplayAnswer | undefined;

export interface ReplayServer {
  url: string;
  received: ReceivedRequest[];
  /** Routes are tried newest first; the first that answers wins. */
  route(r: Route): void;
  /** Answers every request to `path` (pathname) with `answer`, or with each of `answers` in turn. */
  on(path: string, ...answers: ReplayAnswer[]): void;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  const routes: Route[] = [];
  const received: ReceivedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const answer = routes.map((route) => route(r)).find((a) => a !== undefined);
      if (!answer) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`replay server: no route for ${r.method} ${r.url}`);
        return;
      }
      serve(answer, res);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  // It also acts as a proxy: a CONNECT tunnel to any host ends at this same server.
  server.on('connect', (req: IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
    received.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: '' });
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    route: (r) => { routes.unshift(r); },
    on(path, ...answers) {
      let i = 0;
      routes.unshift((req) => (new URL(req.url, 'http://x').pathname === path ? answers[Math.min(i++, answers.length - 1)] : undefined));
    },
    close: () => new Promise<void>((ok) => { for (const s of sockets) s.destroy(); server.close(() => ok()); }),
  };
}

function serve(a: ReplayAnswer, res: ServerResponse): void {
  if (a.fault === 'hang') return;
  const body = typeof a.body === 'string' ? Buffer.from(a.body, 'utf8') : (a.body ?? Buffer.alloc(0));
  if (a.fault === 'reset') { res.socket?.destroy(); return; }
  const headers = { ...(a.headers ?? {}) };
  if (typeof a.fault === 'object') {
    // Promise the whole length, send part of it, then cut the connection.
    res.writeHead(a.status ?? 200, { ...headers, 'content-length': String(body.length) });
    res.write(body.subarray(0, a.fault.truncateAt), () => res.socket?.destroy());
    return;
  }
  res.writeHead(a.status ?? 200, headers);
  res.end(body);
}

/** A recorded interaction of a VCR cassette, as status, headers and body (binary bodies kept as recorded). */
export function cassette(file: string, index = 0): ReplayAnswer & { request: { method: string; uri: string; body: string | null } } {
  const doc = parse(readFileSync(join(RECORDED, file), 'utf8'), { version: '1.1' }) as {
    interactions: { request: { method: string; uri: string; body: string | null }; response: { status: { code: number }; headers: Record<string, string[]>; body: { string: string | Uint8Array } } }[];
  };
  const it = doc.interactions[index];
  if (!it) throw new Error(`${file} has no interaction ${index}`);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(it.response.headers ?? {})) {
    // The server sets these itself from what it sends.
    if (!/^(content-length|transfer-encoding|connection)$/i.test(k)) headers[k.toLowerCase()] = v;
  }
  const raw = it.response.body.string;
  return {
    request: it.request,
    status: it.response.status.code,
    headers,
    body: typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw),
  };
}

/** A recorded body file, unchanged. */
export function recorded(file: string): Buffer {
  return readFileSync(join(RECORDED, file));
}
