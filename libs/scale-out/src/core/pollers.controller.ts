import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PollersService, PollerView } from './pollers.service';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('pollers')
export class PollersController {
  constructor(private readonly pollers: PollersService) {}

  /** Every poller ever seen (kept across restarts of the core), live or not (viewer). Empty without NATS_URL. */
  @Get()
  list(): PollerView[] {
    return this.pollers.list();
  }
}
