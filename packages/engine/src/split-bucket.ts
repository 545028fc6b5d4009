/*
 * Stable hashing for splits and tracking codes. These functions must never change: a split bucket
 * decides which A/B variant a live lead is in, and a tracking code is printed on paper. Changing
 * the hash would reshuffle running A/B tests and break printed QR codes.
 */

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so that similar ids spread evenly. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed forever for (lead, scenario, node): the lead's place in a split. Never change it (it would reshuffle live A/B tests). */
export function splitBucket(leadId: string, scenarioId: string, nodeId: string): number {
  return hash32(`${leadId}\u0000${scenarioId}\u0000${nodeId}`) / 4_294_967_296;
}

/** A personal code for printed tracking URLs and QR codes, stable per (lead, scenario, node): 14 base-36 characters. */
export function trackingCode(leadId: string, scenarioId: string, nodeId: string): string {
  const key = `${leadId}\u0000${scenarioId}\u0000${nodeId}`;
  return hash32(key).toString(36).padStart(7, '0') + hash32(key, 0x9747b28c).toString(36).padStart(7, '0');
}
