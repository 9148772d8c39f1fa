import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PollersService, PollerView } from './pollers.service';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('pollers')
export class PollersController {
  constructor(private readonly pollers: PollersService) {}

  /** Every poller seen since start-up, live or not (viewer). Empty without NATS_URL. */
  @Get()
  list(): PollerView[] {
    return this.pollers.list();
  }
}
