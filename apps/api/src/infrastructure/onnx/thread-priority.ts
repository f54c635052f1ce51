import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread (Linux: a thread has its own nice value,
 * and threads it starts afterwards inherit it). A model worker calls this before it creates its
 * ONNX Runtime session, so the runtime's compute threads give way to the main thread: the event
 * loop, HTTP and sharp stay responsive however busy inference keeps the cores, and inference
 * still gets every cycle nobody else wants. Elsewhere it does nothing and says so.
 */
export function lowerThreadPriority(niceness = 10): boolean {
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>": setpriority() on a tid affects that thread only.
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId)) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}
