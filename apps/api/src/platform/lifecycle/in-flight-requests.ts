import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The HTTP requests not yet answered, so that a shutdown can wait for them. While draining, every
 * answer not yet begun says `Connection: close`, so keep-alive clients go elsewhere afterwards.
 */
@Injectable()
export class InFlightRequests {
  private readonly open = new Set<Response>();
  private draining = false;
  private whenIdle: Array<() => void> = [];

  get count(): number {
    return this.open.size;
  }

  /** The Express middleware that counts them; first, so that every route is counted. */
  readonly track = (_request: Request, response: Response, next: NextFunction): void => {
    this.open.add(response);
    if (this.draining) response.setHeader('Connection', 'close');
    response.once('close', () => {
      this.open.delete(response);
      if (this.open.size === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    });
    next();
  };

  /** From now on, connections close after their answer; resolves when none is in flight. */
  drain(): Promise<void> {
    this.draining = true;
    for (const response of this.open) if (!response.headersSent) response.setHeader('Connection', 'close');
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenIdle.push(resolve));
  }
}
