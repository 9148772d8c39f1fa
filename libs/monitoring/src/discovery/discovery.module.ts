import { Module } from '@nestjs/common';
import { InventoryModule } from '@netdesk/inventory';
import * as si from 'systeminformation';
import { FpingProber, SnmpClient } from '../probes';
import { DiscoveryController } from './discovery.controller';
import {
  DEFAULT_DISCOVERY_OPTIONS,
  DISCOVERY_NETWORK_INTERFACES,
  DISCOVERY_OPTIONS,
  DISCOVERY_PING_SWEEPER,
  DISCOVERY_SNMP_READER_FACTORY,
  DiscoveryOptions,
  NetworkInterfacesSource,
  PingSweeper,
  SystemGroupReaderFactory,
} from './discovery.ports';
import { DiscoveryService } from './discovery.service';
import { nestProbeLogger } from '../nest-probe-logger';

/** `POST /api/discovery`: ping sweep + SNMP system group, proposing devices for the inventory. */
@Module({
  imports: [InventoryModule],
  controllers: [DiscoveryController],
  providers: [
    DiscoveryService,
    { provide: DISCOVERY_OPTIONS, useValue: DEFAULT_DISCOVERY_OPTIONS },
    {
      provide: DISCOVERY_PING_SWEEPER,
      useFactory: (o: DiscoveryOptions): PingSweeper =>
        new FpingProber({
          count: 1,
          timeoutMs: o.pingTimeoutMs,
          intervalMs: o.pingIntervalMs,
          logger: nestProbeLogger('discovery'),
        }),
      inject: [DISCOVERY_OPTIONS],
    },
    {
      provide: DISCOVERY_SNMP_READER_FACTORY,
      useFactory:
        (o: DiscoveryOptions): SystemGroupReaderFactory =>
        () =>
          new SnmpClient({
            timeoutMs: o.snmpTimeoutMs,
            retries: o.snmpRetries,
            maxInFlight: o.snmpConcurrency,
            logger: nestProbeLogger('discovery'),
          }),
      inject: [DISCOVERY_OPTIONS],
    },
    {
      provide: DISCOVERY_NETWORK_INTERFACES,
      useValue: { networkInterfaces: () => si.networkInterfaces() } satisfies NetworkInterfacesSource,
    },
  ],
  exports: [DiscoveryService],
})
export class DiscoveryModule {}
