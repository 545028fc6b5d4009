export * from './auto-layout.ts';
export * from './compile.ts';
export * from './decompile.ts';
export * from './document.ts';
