import type { JobEvent } from '@dlserve/shared';
import type { EventSourceLike } from '../api/jobs';

/** An `EventSource` the test drives by hand: `emit()` a job event, `fail()` the connection. */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];

  readyState = 0;
  closed = false;
  onerror: ((event: Event) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  static create = (url: string): FakeEventSource => new FakeEventSource(url);

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  /** Sends an event the way the API does: named by its type, JSON data. */
  emit(event: JobEvent): void {
    this.readyState = 1;
    const message = { data: JSON.stringify(event) } as MessageEvent<string>;
    for (const listener of this.listeners.get(event.type) ?? []) listener(message);
  }

  fail(): void {
    this.onerror?.(new Event('error'));
  }
}
