// Where e-mail settings come from: the environment for the server as a whole, a product line's
// settings for its own sender and SMTP server.
import type { ProductLineSettings } from '@nurtureflow/scenario';

/** The base URL recipients reach this server at (links, pixel, unsubscribe): PUBLIC_URL, else http://localhost:PORT. */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['PUBLIC_URL'] || `http://localhost:${env['PORT'] || 3000}`;
  return url.replace(/\/+$/, '');
}

/** The server-wide SMTP server (SMTP_URL), or null: then mail is kept in the local mailbox. */
export function globalSmtpUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env['SMTP_URL'] || null;
}

/** Who a product line's mail is from: its sender, else its name at MAIL_FROM (or nurtureflow@localhost). */
export function senderOf(settings: ProductLineSettings | undefined, productLineName: string): { name: string; email: string } {
  return settings?.sender ?? { name: productLineName, email: process.env['MAIL_FROM'] || 'nurtureflow@localhost' };
}
