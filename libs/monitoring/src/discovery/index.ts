export { DiscoveryModule } from './discovery.module';
export { DiscoveryService } from './discovery.service';
export type { DiscoveryRequest, DiscoveryResult, DiscoveredDevice } from './discovery.service';
export { guessDeviceKind } from './device-kind-guess';
