// Bytes of a lead file to text, in the browser as in Node (TextDecoder only): UTF-16 by its BOM,
// UTF-8 when the bytes are valid UTF-8 (with or without BOM), else CP932 — the Shift_JIS that
// Japanese Excel writes.

/** What a file decoded to. */
export interface Decoded {
  text: string;
  encoding: 'utf-8' | 'shift_jis' | 'utf-16le' | 'utf-16be';
}

/** Decodes a lead file's bytes, guessing the character set as described above. */
export function decodeLeadFile(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
  }
}
