import { Controller, Delete, Get, Header, type MessageEvent, Param, Sse } from '@nestjs/common';
import type { JobStatus } from '@dlserve/shared';
import { map, type Observable } from 'rxjs';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { JobsService } from '../../jobs/jobs.service.js';
import { ACCESS_ERRORS, ApiAnswer, ApiErrors, contract } from './openapi.js';

@ApiTags('jobs')
@ApiErrors(...ACCESS_ERRORS, 'not_found')
@ApiParam({ name: 'id', description: 'The id the 202 answer gave.' })
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @ApiOperation({ summary: "A job's state, progress and, once done, its result" })
  @ApiAnswer(200, 'The job.', 'JobStatus')
  status(@Param('id') id: string): JobStatus {
    return this.jobs.status(id);
  }

  /** Cancels the job (if it has not finished) and answers its status once it has stopped. */
  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a job; nothing it made is kept' })
  @ApiAnswer(200, 'The job, once stopped.', 'JobStatus')
  cancel(@Param('id') id: string): Promise<JobStatus> {
    return this.jobs.cancel(id);
  }

  /** Server-Sent Events: queued (position), running, progress (by tile), then done, failed or cancelled. */
  @Sse(':id/events')
  @ApiOperation({ summary: "A job's progress as Server-Sent Events", description: 'Each event is named by its `type`; its data is a `JobEvent`. The stream ends after done, failed or cancelled.' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'The event stream.', content: { 'text/event-stream': { schema: contract('JobEvent') } } })
  // nginx would otherwise hold events back in its proxy buffer.
  @Header('X-Accel-Buffering', 'no')
  events(@Param('id') id: string): Observable<MessageEvent> {
    return this.jobs.events(id).pipe(map((event) => ({ type: event.type, data: event })));
  }
}
