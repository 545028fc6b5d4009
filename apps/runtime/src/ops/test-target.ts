// A webhook target on loopback for the process tests: it records the X-Nurtureflow-Key of every call
// it answers, can answer slowly, and can go down (stop listening) and come back on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface TestTarget {
  readonly url: string;
  /** The key of every call answered 200, in order (a call cut by a crash before the answer is in `started` only). */
  readonly keys: string[];
  /** The key of every call that arrived, answered or not. */
  readonly started: string[];
  /** Delay every answer by this much. */
  delay(ms: number): void;
  /** Stop listening and drop open connections: calls are refused until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a target on a free port of 127.0.0.1. */
export async function startTestTarget(): Promise<TestTarget> {
  const keys: string[] = [];
  const started: string[] = [];
  let delayMs = 0;
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const listen = async () => {
    const s = createServer((req, res) => {
      const key = String(req.headers['x-nurtureflow-key'] ?? '');
      req.resume();
      req.on('end', () => {
        started.push(key);
        setTimeout(() => {
          if (res.destroyed) return;
          keys.push(key);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        }, delayMs);
      });
    });
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      for (const socket of sockets) socket.destroy();
      s.close(() => resolve());
    });
  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    keys,
    started,
    delay: (ms) => void (delayMs = ms),
    stop,
    start: listen,
    close: stop,
  };
}
