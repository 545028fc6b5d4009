import { describe, expect, it } from 'vitest';
import { storableText, unstorablePath } from './storable-json.ts';

describe('storable text', () => {
  it('replaces NUL and lone surrogates, keeps pairs and everything else', () => {
    expect(storableText('550 user\u0000unknown')).toBe('550 user\uFFFDunknown');
    expect(storableText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('宛先不明 😀')).toBe('宛先不明 😀');
    expect(unstorablePath({ a: [storableText('\u0000\uD83D')] })).toBeNull();
  });

  it('names the path of the first unstorable string or key', () => {
    expect(unstorablePath({ a: { b: ['ok', 'x\u0000'] } })).toEqual(['a', 'b', 1]);
    expect(unstorablePath({ ['k\u0000']: 1 })).toEqual(['k\u0000']);
  });
});
