import { Controller, Delete, Get, Header, type MessageEvent, Param, Sse } from '@nestjs/common';
import type { JobStatus } from '@dlserve/shared';
import { map, type Observable } from 'rxjs';
import { JobsService } from '../../jobs/jobs.service.js';

@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  status(@Param('id') id: string): JobStatus {
    return this.jobs.status(id);
  }

  /** Cancels the job (if it has not finished) and answers its status once it has stopped. */
  @Delete(':id')
  cancel(@Param('id') id: string): Promise<JobStatus> {
    return this.jobs.cancel(id);
  }

  /** Server-Sent Events: queued (position), running, progress (by tile), then done, failed or cancelled. */
  @Sse(':id/events')
  // nginx would otherwise hold events back in its proxy buffer.
  @Header('X-Accel-Buffering', 'no')
  events(@Param('id') id: string): Observable<MessageEvent> {
    return this.jobs.events(id).pipe(map((event) => ({ type: event.type, data: event })));
  }
}
