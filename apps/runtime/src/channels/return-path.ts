// Two addresses of every e-mail carry a short signed token naming the message: the Return-Path
// (envelope sender), where bounce reports come back (`bounce+b…@…`, VERP), and the mailto: of
// List-Unsubscribe (`unsubscribe+u…@…?subject=unsubscribe u…`). An address's local part may hold
// 64 characters, and mail systems may change its case, so a token is short lower-case hex: a
// letter for its kind, the message's return id (from its outbox key) and an HMAC tag under the
// tracking secret. Anyone can read which message a token names; nobody can make one up.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Signer } from '../tracking/tokens.ts';

/** What a token is for: bounce reports (Return-Path) or unsubscribing by mail (mailto:). */
export type ReturnKind = 'bounce' | 'unsubscribe';

/** A verified token: its kind and the return id of the message it names. */
export interface ReturnToken {
  kind: ReturnKind;
  returnId: string;
}

const ID_HEX = 20;
const TAG_HEX = 20;
const LETTER: Record<ReturnKind, string> = { bounce: 'b', unsubscribe: 'u' };
const KIND: Record<string, ReturnKind> = { b: 'bounce', u: 'unsubscribe' };
/** A token after the `+` of an address's local part. */
const IN_ADDRESS = new RegExp(`\\+([bu][0-9a-f]{${ID_HEX + TAG_HEX}})@`, 'gi');
/** A token standing alone (the mailto:'s subject). */
const ALONE = new RegExp(`(?:^|[^0-9a-z])([bu][0-9a-f]{${ID_HEX + TAG_HEX}})(?![0-9a-z])`, 'gi');

/** The id that names a message in its tokens: 80 bits of the SHA-256 of its outbox key, so a resend after a crash carries the same one. */
export function returnId(outboxKey: string): string {
  return createHash('sha256').update(outboxKey).digest('hex').slice(0, ID_HEX);
}

/** The signed token of one kind for one message. */
export function returnToken(signer: Signer, kind: ReturnKind, id: string): string {
  const body = LETTER[kind] + id;
  return body + tag(signer, body);
}

/** `local+token@domain`: the token as the address's extension (RFC 5233 sub-addressing). */
export function withToken(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? `${address}+${token}` : `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The Return-Path of a message: BOUNCE_ADDRESS (or the sender) with the message's bounce token. */
export function bounceAddress(signer: Signer, base: string, id: string): string {
  return withToken(base, returnToken(signer, 'bounce', id));
}

/** The mailto: of List-Unsubscribe: the address with the message's unsubscribe token, and the token again as the subject. */
export function unsubscribeMailto(signer: Signer, base: string, id: string): string {
  const token = returnToken(signer, 'unsubscribe', id);
  return `mailto:${withToken(base, token)}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
}

/**
 * The verified tokens in `text`: in addresses (`+token@`), or also standing alone when `alone` is
 * set (a subject line). Tokens that are not this server's, or were changed, are left out.
 */
export function findReturnTokens(signer: Signer, text: string, options: { alone?: boolean } = {}): ReturnToken[] {
  return readReturnTokens(signer, text, options).valid;
}

/** The verified tokens in `text`, and whether something shaped like a token failed verification (altered, or another server's). */
export function readReturnTokens(signer: Signer, text: string, options: { alone?: boolean } = {}): { valid: ReturnToken[]; altered: boolean } {
  const found = new Map<string, ReturnToken | null>();
  const patterns = options.alone ? [IN_ADDRESS, ALONE] : [IN_ADDRESS];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const token = m[1]!.toLowerCase();
      if (!found.has(token)) found.set(token, verifyReturnToken(signer, token));
    }
  }
  const all = [...found.values()];
  return { valid: all.filter((t): t is ReturnToken => t !== null), altered: all.includes(null) };
}

/** The kind and return id of a token signed by this server, else null. */
export function verifyReturnToken(signer: Signer, token: string): ReturnToken | null {
  const t = token.toLowerCase();
  if (t.length !== 1 + ID_HEX + TAG_HEX) return null;
  const kind = KIND[t[0]!];
  const body = t.slice(0, 1 + ID_HEX);
  const given = Buffer.from(t.slice(1 + ID_HEX), 'hex');
  const want = Buffer.from(tag(signer, body), 'hex');
  if (!kind || given.length !== want.length || !timingSafeEqual(given, want)) return null;
  return { kind, returnId: body.slice(1) };
}

function tag(signer: Signer, body: string): string {
  // `return:` keeps these MACs apart from the link tokens', whose input is base64url.
  return signer.mac(`return:${body}`).subarray(0, TAG_HEX / 2).toString('hex');
}

/** Where a product line's bounce reports and mailto: unsubscribes are sent; each defaults to the sender's address. */
export interface ReturnAddressOptions {
  /** BOUNCE_ADDRESS: the base of every Return-Path, e.g. `bounce@bounces.example.jp`. */
  bounceAddress?: string | null;
  /** UNSUBSCRIBE_MAILTO: the base of the List-Unsubscribe mailto:, e.g. `unsubscribe@example.jp`. */
  unsubscribeMailto?: string | null;
}

/** The options from the environment (BOUNCE_ADDRESS, UNSUBSCRIBE_MAILTO). */
export function returnAddressOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ReturnAddressOptions {
  return { bounceAddress: env['BOUNCE_ADDRESS'] || null, unsubscribeMailto: env['UNSUBSCRIBE_MAILTO'] || null };
}

/** The return id, Return-Path and List-Unsubscribe mailto: of one message. */
export function returnAddresses(signer: Signer, outboxKey: string, senderEmail: string, options: ReturnAddressOptions): { returnId: string; returnPath: string; mailto: string } {
  const id = returnId(outboxKey);
  return {
    returnId: id,
    returnPath: bounceAddress(signer, options.bounceAddress || senderEmail, id),
    mailto: unsubscribeMailto(signer, options.unsubscribeMailto || senderEmail, id),
  };
}
