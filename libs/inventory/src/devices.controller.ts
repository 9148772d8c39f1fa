import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { DomainError } from '@netdesk/core';
import { CreateDeviceDto, DeviceResponseDto, ListDevicesQueryDto, UpdateDeviceDto } from './dto/device.dto';
import { toDeviceResponse } from './device.mapper';
import { DeviceEntity } from './device.entity';
import { DevicesService } from './devices.service';
import { ImportResult, InventoryImportService } from './inventory-import.service';
import { DeviceKind, DeviceStatus } from './inventory.types';

const IMPORT_TYPES: Record<string, 'yaml' | 'csv'> = {
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/x-yaml': 'yaml',
  'text/csv': 'csv',
};
export const IMPORT_CONTENT_TYPES = Object.keys(IMPORT_TYPES);

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('devices')
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly importer: InventoryImportService,
  ) {}

  @Post()
  @MinRole('admin')
  @ApiCreatedResponse({ type: DeviceResponseDto })
  async create(@Body() dto: CreateDeviceDto): Promise<DeviceResponseDto> {
    return this.represent(await this.devices.create(dto));
  }

  @Post('import')
  @MinRole('admin')
  @HttpCode(200)
  @ApiConsumes(...IMPORT_CONTENT_TYPES)
  @ApiBody({
    description: 'An inventory file in YAML or CSV; see config/inventory.example.yaml',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ description: '`{sitesCreated, devicesCreated, devicesUpdated}`' })
  @ApiBadRequestResponse({
    description:
      'Every bad row, as `line N: reason` in `message` and `{line, field, message}` in `errors`; nothing was imported',
  })
  async import(@Body() body: unknown, @Headers('content-type') contentType?: string): Promise<ImportResult> {
    const format = IMPORT_TYPES[(contentType ?? '').split(';')[0].trim().toLowerCase()];
    if (!format || typeof body !== 'string') {
      throw new DomainError(
        'invalid',
        `Content-Type must be one of ${IMPORT_CONTENT_TYPES.join(', ')} with the file as the body`,
      );
    }
    return this.importer.import(body, format);
  }

  @Get()
  @ApiOkResponse({ type: [DeviceResponseDto] })
  async list(@Query() query: ListDevicesQueryDto): Promise<DeviceResponseDto[]> {
    const devices = await this.devices.list({
      ...query,
      status: query.status as DeviceStatus,
      kind: query.kind as DeviceKind,
    });
    const maintenance = await this.devices.maintenanceOf(devices);
    return devices.map((d) => toDeviceResponse(d, maintenance.get(d.id) ?? null, this.devices.pollerOf(d.id)));
  }

  @Get(':id')
  @ApiOkResponse({ type: DeviceResponseDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceResponseDto> {
    return this.represent(await this.devices.get(id));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOkResponse({ type: DeviceResponseDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceResponseDto> {
    return this.represent(await this.devices.update(id, dto));
  }

  private async represent(device: DeviceEntity): Promise<DeviceResponseDto> {
    const maintenance = await this.devices.maintenanceOf([device]);
    return toDeviceResponse(device, maintenance.get(device.id) ?? null, this.devices.pollerOf(device.id));
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.devices.remove(id);
  }
}
