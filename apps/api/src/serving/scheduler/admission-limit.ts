import { AppError } from '../../platform/errors/app-error.js';

/** Lets a request go when it is done, however it ended; a second call does nothing. */
export type Release = () => void;

/**
 * At most `limit` requests in hand (running or waiting) for one resource: past it, a request is
 * refused now with 503 `busy` and a `Retry-After`, so that uploads do not pile up in memory
 * behind a long queue.
 */
export class AdmissionLimit {
  private inHand = 0;

  /** `what`: the resource, as the refusal names it ("The model 'x'", "The compressor"). */
  constructor(
    private readonly limit: number,
    private readonly what: string,
    private readonly retryAfterSeconds: number,
  ) {}

  get requestsInHand(): number {
    return this.inHand;
  }

  /** The 503 `busy` that `take` would throw now, or null: for refusing before anything is parsed. */
  refusal(): AppError | null {
    if (this.inHand < this.limit) return null;
    return new AppError(
      'busy',
      `${this.what} has ${this.inHand} requests in hand already (its limit); try again in ${this.retryAfterSeconds} s.`,
      undefined,
      this.retryAfterSeconds,
    );
  }

  /** Takes a request now, or throws 503 `busy`. */
  take(): Release {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    this.inHand++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inHand--;
    };
  }
}
