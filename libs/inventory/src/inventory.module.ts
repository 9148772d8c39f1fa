import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeviceEntity } from './device.entity';
import { DeviceRepository } from './device.repository';
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
  providers: [SitesService, DevicesService, InventoryImportService, SiteRepository, DeviceRepository, SnmpSecretCodec],
  exports: [DevicesService, SitesService, InventoryImportService, DeviceRepository, SnmpSecretCodec],
})
export class InventoryModule {}
