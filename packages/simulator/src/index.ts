/** Runs scenarios through the engine over sample leads on a virtual clock. Browser-safe: no node: imports. */
export {};
