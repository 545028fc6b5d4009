// A real HTTP server on 127.0.0.1 for the channel tests: it receives webhook calls as a CRM or
// sales chat would, checks their signature with the shared secret, and answers as told.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the receiver got. */
export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** The X-Nurtureflow-Signature header matched the HMAC of the raw body under the secret. */
  signatureValid: boolean;
}

export interface Receiver {
  url: string;
  calls: ReceivedCall[];
  /** The status the next calls get (200 unless set); `hang` never answers, like a stuck server. */
  answer(status: number | 'hang'): void;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startReceiver(secret: string): Promise<Receiver> {
  const calls: ReceivedCall[] = [];
  let status: number | 'hang' = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
      const got = Buffer.from(String(req.headers['x-nurtureflow-signature'] ?? ''));
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as raw
      }
      calls.push({ path: req.url ?? '', headers: req.headers, raw, body, signatureValid: got.length === want.length && timingSafeEqual(got, want) });
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answer: (s) => void (status = s),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
