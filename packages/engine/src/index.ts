/** The pure, deterministic interpreter of scenario graphs. No I/O, no clock, no Math.random. */
export * from './types.ts';
