export { ScaleOutModule } from './scale-out.module';
export { ScaleOutPollerModule } from './poller/scale-out-poller.module';
export { RemotePollerService } from './poller/remote-poller.service';
export { PollersService, SCALE_OUT_EVENTS } from './core/pollers.service';
export type { PollerView, PollerGroupUnreachableEvent } from './core/pollers.service';
export { IngestService } from './core/ingest.service';
export { ownerOf, isFenced } from './domain/assignment';
export { STREAMS, BUCKETS } from './transport/envelope';
