import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { DeviceInterface, InterfaceReader } from './interface.port';

/** Monitoring's reads of `device_interfaces` for other contexts (see `InterfaceReader`). */
@Injectable()
export class DeviceInterfaceRepository implements InterfaceReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(DeviceInterfaceEntity);
  }

  all(): Promise<DeviceInterface[]> {
    return this.repo().find();
  }

  get(deviceId: string, ifIndex: number, m?: EntityManager): Promise<DeviceInterface | null> {
    return this.repo(m).findOneBy({ deviceId, ifIndex });
  }

  down(deviceId: string, m?: EntityManager): Promise<DeviceInterface[]> {
    return this.repo(m)
      .createQueryBuilder('i')
      .where(
        `i.device_id = :id AND i.admin_status = 'up' AND i.oper_status IN ('down', 'lowerLayerDown', 'notPresent')`,
        { id: deviceId },
      )
      .getMany();
  }

  circuits(deviceId: string, m?: EntityManager): Promise<DeviceInterface[]> {
    return this.repo(m)
      .createQueryBuilder('i')
      .where('i.device_id = :id AND (i.circuit_id IS NOT NULL OR i.provider IS NOT NULL)', { id: deviceId })
      .orderBy('i.if_index')
      .getMany();
  }
}
