import { randomBytes } from 'node:crypto';

/**
 * A new scenario id from its name: an ASCII slug (empty for names in Japanese, hence the fallback)
 * and a random suffix, so two scenarios of the same name get different ids. Matches the graph's
 * id format and is safe in URLs.
 */
export function newScenarioId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'scenario'}-${randomBytes(4).toString('hex')}`;
}
