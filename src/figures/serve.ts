/**
 * A loopback HTTP server for the export page. Why not file://: Chromium keeps V8's compiled
 * code only for HTTP(S) scripts, keyed by URL; with a fixed origin and a persistent profile
 * (browser.ts), plotly.min.js (4.8 MB) is compiled once per machine, not on every run
 * (measured: script evaluation 2–4 s cold, 0.3 s hot). If the fixed port is taken (another
 * export running), a random port is used: correct, only slower.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';

/** Fixed loopback port, so script URLs (the code-cache key) are the same from run to run. */
export const EXPORT_PORT = 38571;

export interface Route { body?: string; path?: string; type: string; immutable?: boolean }

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
    if (r.immutable && r.path) {
      // long-lived and validated by mtime: a new package version changes the file and its mtime
      headers['cache-control'] = 'public, max-age=31536000, immutable';
      headers['last-modified'] = statSync(r.path).mtime.toUTCString();
    } else headers['cache-control'] = 'no-store';
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
