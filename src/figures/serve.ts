/**
 * A loopback HTTP server for the export page. Why not file://: Chromium keeps V8's compiled
 * code only for HTTP(S) scripts, keyed by URL; with a fixed origin and a persistent profile
 * (browser.ts), plotly.min.js (4.8 MB) is compiled once per machine, not on every run
 * (measured: script evaluation 2–4 s cold, 0.3 s hot). If the fixed port is taken (another
 * export running), a random port is used: correct, only slower.
 *
 * The shared scripts are served "immutable" from the profile that every checkout on the
 * machine shares, so their URL names their content (`contentRoute`): a changed plotly or
 * MathJax gets a new URL and can never be taken from the cache under an old one.
 */
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Fixed loopback port, so script URLs (the code-cache key) are the same from run to run. */
export const EXPORT_PORT = 38571;

export interface Route { body?: string | Uint8Array; path?: string; type: string; immutable?: boolean }

/**
 * The file at `path` as an immutable route whose URL carries its content's SHA-256 prefix:
 * `plotly.min.js` → `/plotly.<16 hex>.min.js`. The body is the bytes that were hashed.
 */
export function contentRoute(path: string, file: string, type = 'text/javascript'): { url: string; route: Route } {
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const dot = file.indexOf('.');
  const url = dot > 0 ? `/${file.slice(0, dot)}.${hash}${file.slice(dot)}` : `/${file}.${hash}`;
  return { url, route: { body, type, immutable: true } };
}

export interface Served { origin: string; close(): Promise<void> }

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => { server.off('listening', onListen); reject(e); };
    const onListen = () => { server.off('error', onError); resolve((server.address() as { port: number }).port); };
    server.once('error', onError);
    server.once('listening', onListen);
    server.listen(port, '127.0.0.1');
  });
}

/** Serve `routes` (URL path → file or text) on 127.0.0.1. */
export async function serve(routes: Record<string, Route>): Promise<Served> {
  const cache = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const r = routes[(req.url ?? '/').split('?')[0]!];
    if (!r) { res.writeHead(404); res.end(); return; }
    let body: Buffer;
    if (r.path) {
      body = cache.get(r.path) ?? readFileSync(r.path);
      cache.set(r.path, body);
    } else body = Buffer.from(r.body ?? '');
    const headers: Record<string, string> = { 'content-type': r.type, 'content-length': String(body.length) };
    // immutable only for content-named URLs (contentRoute): new content, new URL
    headers['cache-control'] = r.immutable ? 'public, max-age=31536000, immutable' : 'no-store';
    res.writeHead(200, headers);
    res.end(body);
  });
  let port: number;
  try {
    port = await listen(server, EXPORT_PORT);
  } catch {
    port = await listen(server, 0);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
