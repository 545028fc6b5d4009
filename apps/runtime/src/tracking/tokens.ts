// Signed tokens in the links of every e-mail: the open pixel, each rewritten link and the
// unsubscribe link. A token is its payload in base64url and an HMAC-SHA256 of it under the server's
// tracking secret, so a recipient can neither forge one nor change what it points at, and a token
// signed by another server (a foreign token) is refused like a tampered one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../core/bulk.ts';

/** What a token stands for. `index` numbers the message's links; an unsubscribe names its product line. */
export type TokenPayload =
  | { kind: 'open'; leadId: string; key: string }
  | { kind: 'click'; leadId: string; key: string; index: number }
  | { kind: 'unsubscribe'; leadId: string; key: string; productLine: string };

/** Signs and reads tokens with one secret. */
export interface Signer {
  sign(payload: TokenPayload): string;
  /** The payload, or null for anything not signed by this secret exactly as it is. */
  verify(token: string): TokenPayload | null;
  /** HMAC-SHA256 of `data` under the same secret, for token formats of their own (Return-Path, mailto:). */
  mac(data: string): Buffer;
}

// The first 128 bits of the HMAC: as strong against forgery as the tag length allows (RFC 2104 §5),
// and links stay short enough for mail clients that wrap long URLs.
const TAG_BYTES = 16;
const KINDS = { o: 'open', c: 'click', u: 'unsubscribe' } as const;

/** A signer over a secret (any length; a generated one is 32 random bytes). */
export function createSigner(secret: string): Signer {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest().subarray(0, TAG_BYTES);
  return {
    mac: (data) => createHmac('sha256', secret).update(data).digest(),
    sign(p) {
      const fields = p.kind === 'open' ? ['o', p.leadId, p.key] : p.kind === 'click' ? ['c', p.leadId, p.key, p.index] : ['u', p.leadId, p.key, p.productLine];
      const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      const dot = token.indexOf('.');
      if (dot <= 0 || token.length > 2000) return null;
      const body = token.slice(0, dot);
      // The tag as this server writes it, character for character: base64url decoding skips stray
      // characters and the last character's spare bits, so comparing decoded bytes would let
      // altered tokens (a trailing space, another last letter) through as the same token.
      const tag = Buffer.from(token.slice(dot + 1));
      const want = Buffer.from(mac(body).toString('base64url'));
      if (tag.length !== want.length || !timingSafeEqual(tag, want)) return null;
      let fields: unknown;
      try {
        fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (!Array.isArray(fields) || typeof fields[1] !== 'string' || typeof fields[2] !== 'string') return null;
      const kind = KINDS[fields[0] as keyof typeof KINDS];
      const [, leadId, key, extra] = fields as [string, string, string, unknown];
      if (!plain(leadId) || !plain(key) || (typeof extra === 'string' && !plain(extra))) return null;
      if (kind === 'open' && fields.length === 3) return { kind, leadId, key };
      if (kind === 'click' && Number.isInteger(extra) && (extra as number) >= 0) return { kind, leadId, key, index: extra as number };
      if (kind === 'unsubscribe' && typeof extra === 'string') return { kind, leadId, key, productLine: extra };
      return null;
    },
  };
}

/** Ids as the server writes them: short, no control characters, no lone surrogates (which no query could match). */
function plain(s: string): boolean {
  return s.length <= 512 && !/[\u0000-\u001f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

const signers = new WeakMap<object, Promise<Signer>>();

/**
 * The server's signer: TRACKING_SECRET when set; else a random secret generated on first start and
 * kept in the database (`server_secrets`), so links in mail already sent stay valid across restarts
 * and every process on one database signs alike. Cached per database (`cacheKey`, the runtime's db);
 * `db` may be an open transaction — on the embedded database a query outside it would wait for it.
 */
export function trackingSigner(cacheKey: object, db: Db): Promise<Signer> {
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = loadSecret(db).then(createSigner);
    signers.set(cacheKey, signer);
    signer.catch(() => signers.delete(cacheKey));
  }
  return signer;
}

async function loadSecret(db: Db): Promise<string> {
  const fromEnv = process.env['TRACKING_SECRET'];
  if (fromEnv) return fromEnv;
  await db
    .insertInto('server_secrets')
    .values({ name: 'tracking', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', 'tracking').executeTakeFirstOrThrow();
  return row.value;
}
