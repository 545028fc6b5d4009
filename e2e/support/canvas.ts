// What a marketer does on the canvas, as browser steps: drag a kind from the palette, draw a
// connection from an output to a node, select a node.
import type { Page } from 'playwright-core';

/** Drags a node kind from the palette and drops it at (x, y) within the canvas. */
export async function dropKind(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.dragAndDrop(`[data-testid="palette-${kind}"]`, '[data-testid="canvas"]', { targetPosition: { x, y } });
}

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on the screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draws a connection from a node's output handle to another node's input, with the mouse. */
export async function connect(page: Page, from: string, output: string, to: string): Promise<void> {
  const a = await centre(page, `[data-testid="node-${from}"] [data-testid="output-${output}"] .react-flow__handle`);
  const b = await centre(page, `[data-testid="node-${to}"] .react-flow__handle.target`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Selects a node by clicking its header, which opens its form in the inspector. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="node-${id}"] .flow-node-head`).click();
  await page.locator(`[data-testid="form-${id}"]`).waitFor();
}
