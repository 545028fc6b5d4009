/** Test helpers for scenario graphs: the fluent builder and fast-check arbitraries. */
export * from './arbitrary.ts';
export * from './builder.ts';
export * from './hostile.ts';
