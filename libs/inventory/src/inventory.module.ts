import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeviceEntity } from './device.entity';
import { DeviceDirectory } from './device-directory.port';
import { DeviceRepository } from './device.repository';
import { DeviceStatusWriter } from './device-status.port';
import { DeviceStatusRepository } from './device-status.repository';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { InventoryImportService } from './inventory-import.service';
import { SiteEntity } from './site.entity';
import { SiteRepository } from './site.repository';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';
import { SnmpSecretCodec } from './snmp-secret.codec';

@Module({
  imports: [TypeOrmModule.forFeature([SiteEntity, DeviceEntity])],
  controllers: [SitesController, DevicesController],
  providers: [
    SitesService,
    DevicesService,
    InventoryImportService,
    SiteRepository,
    DeviceRepository,
    SnmpSecretCodec,
    { provide: DeviceDirectory, useExisting: DeviceRepository },
    { provide: DeviceStatusWriter, useClass: DeviceStatusRepository },
  ],
  exports: [DevicesService, SitesService, InventoryImportService, SnmpSecretCodec, DeviceDirectory, DeviceStatusWriter],
})
export class InventoryModule {}
