import { Module } from '@nestjs/common';
import { RemotePollerService } from './remote-poller.service';

/** The poller alone: probes, engine, lease and publisher; no database. */
@Module({ providers: [RemotePollerService], exports: [RemotePollerService] })
export class ScaleOutPollerModule {}
