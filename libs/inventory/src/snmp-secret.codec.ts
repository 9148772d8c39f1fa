import { Injectable } from '@nestjs/common';
import { MasterKey, SecretBox } from '@netdesk/core';
import { DeviceEntity } from './device.entity';
import { SnmpCredentials } from './inventory.types';
import { SnmpCredentialsDto } from './dto/device.dto';

type SnmpColumns = Pick<DeviceEntity, 'snmpVersion' | 'snmpPort' | 'snmpSecret'>;

/** Seals SNMP credentials into the device row and opens them for the poller. Nothing else sees them. */
@Injectable()
export class SnmpSecretCodec {
  private readonly box: SecretBox;

  constructor(key: MasterKey) {
    this.box = new SecretBox(key.value, 'snmp-credentials');
  }

  seal(dto: SnmpCredentialsDto | null | undefined): SnmpColumns {
    if (!dto) return { snmpVersion: null, snmpPort: null, snmpSecret: null };
    const { version, port, ...secret } = dto;
    return { snmpVersion: version, snmpPort: port ?? 161, snmpSecret: this.box.seal(JSON.stringify(secret)) };
  }

  open(device: SnmpColumns): SnmpCredentials | null {
    if (!device.snmpVersion || !device.snmpSecret) return null;
    const secret = JSON.parse(this.box.open(device.snmpSecret));
    return { ...secret, version: device.snmpVersion, port: device.snmpPort ?? 161 } as SnmpCredentials;
  }
}
