import { Piscina } from 'piscina';

/**
 * A worker task's answer with the buffers in it moved to the main thread, not copied (piscina's
 * Transferable: the value, and the list of what to transfer).
 */
export function moved(value: unknown, transfer: ArrayBuffer[]): unknown {
  const movable = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: value };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
}
