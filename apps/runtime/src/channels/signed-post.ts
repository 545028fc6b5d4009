// One signed JSON POST to a webhook target, judged as the dispatcher needs it: handed over, try
// again later, or failed for good. Uses node:http(s) rather than fetch so the connection uses the
// guarded DNS lookup (see target-guard.ts).
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Delivery } from './dispatcher.ts';
import { guardTarget, TargetRefused, type TargetPolicy } from './target-guard.ts';

/** The header receivers verify: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-nurtureflow-signature';
/** The outbox key: the same for every attempt at one effect, so a receiver can drop repeats. */
export const KEY_HEADER = 'x-nurtureflow-key';

export interface PostOptions {
  secret: string;
  key: string;
  timeoutMs: number;
  policy: TargetPolicy;
}

/** `sha256=<hex HMAC-SHA256 of body>`, the value of the signature header. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * POSTs `payload` as JSON, signed, with the key as idempotency header and an overall timeout. 2xx
 * is sent; 408, 425, 429, 5xx, a timeout or a connection error is worth another try; any other
 * answer (a 4xx, a redirect, which is not followed) and a forbidden target fail for good.
 */
export async function postSigned(target: string, payload: unknown, options: PostOptions): Promise<Delivery> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { status: 'failed', error: `not a URL: ${target}` };
  }
  const body = JSON.stringify(payload);
  let lookup;
  try {
    lookup = guardTarget(url, options.policy);
  } catch (e) {
    return { status: 'failed', error: (e as Error).message };
  }
  try {
    const res = await send(url, body, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Nurtureflow-Webhook/1',
      [SIGNATURE_HEADER]: signBody(options.secret, body),
      [KEY_HEADER]: options.key,
    }, options.timeoutMs, lookup);
    const what = `HTTP ${res.status} from ${url.host}${res.text ? `: ${res.text}` : ''}`;
    if (res.status >= 200 && res.status < 300) return { status: 'sent', detail: { httpStatus: res.status } };
    if (res.status >= 500 || res.status === 408 || res.status === 425 || res.status === 429) return { status: 'retry', error: what };
    return { status: 'failed', error: res.status >= 300 && res.status < 400 ? `${what} (redirects are not followed)` : what };
  } catch (e) {
    if (e instanceof TargetRefused) return { status: 'failed', error: e.message };
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { status: 'retry', error: `no answer from ${url.host} within ${options.timeoutMs} ms` };
    return { status: 'retry', error: `${url.host}: ${err.code ? `${err.code} ` : ''}${err.message}` };
  }
}

function send(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  lookup: ReturnType<typeof guardTarget>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, ...(lookup ? { lookup } : {}) },
      (res: IncomingMessage) => {
        // Only the start of the answer is kept, for the error message; the rest is drained.
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, 300).replace(/\s+/g, ' ').trim() }));
        res.on('error', reject);
      },
    );
    req.on('error', (e) => reject(signal.aborted ? signal.reason : e));
    req.end(body);
  });
}
