import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { JobsService } from '../../jobs/jobs.service.js';
import { BullQueues } from '../../infrastructure/queue/bull-queues.js';
import { AppConfig } from '../config/app-config.js';
import { InFlightRequests } from './in-flight-requests.js';

/**
 * SIGTERM (and SIGINT): stop accepting connections (and, on a worker node, queued jobs), let the
 * requests in flight and the jobs running finish, for up to `SHUTDOWN_GRACE_SECONDS`, then close the app (workers, pools) and exit
 * 0; 1 if the grace ran out and work was cut short. A second signal ends the process at once.
 */
export function exitGracefullyOnSignals(app: NestExpressApplication): void {
  const logger = new Logger('Shutdown');
  const config = app.get(AppConfig);
  const requests = app.get(InFlightRequests);
  const jobs = app.get(JobsService);
  // ROLE=worker: the queued jobs running here (none are taken once draining starts).
  const queues = app.get(BullQueues);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const server = app.getHttpServer() as Server;
    logger.log(`${signal}: no new connections; waiting up to ${config.shutdownGraceMs / 1000} s for ${requests.count} requests and ${jobs.unfinished} jobs`);
    server.close(); // stops listening; idle keep-alive connections are closed
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), config.shutdownGraceMs)));
    const finished = await Promise.race([Promise.all([requests.drain(), jobs.drain(), queues.drain()]).then(() => true as const), graceOver]);
    clearTimeout(timer);
    if (!finished) logger.warn(`Grace period over: cutting short ${requests.count} requests and ${jobs.unfinished} jobs`);
    server.closeAllConnections();
    await app.close();
    logger.log('Stopped');
    process.exit(finished ? 0 : 1);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (received) => void stop(received));
}
