import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { IntParamPipe } from '@netdesk/core';
import {
  HistoryEntryDto,
  HistoryQueryDto,
  InterfaceResponseDto,
  PingResponseDto,
  UpdateInterfaceDto,
} from './monitoring.dto';
import { toHistoryEntry, toInterfaceResponse } from './monitoring.mapper';
import { MonitoringService } from './monitoring.service';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('devices/:id')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Get('interfaces')
  @ApiOkResponse({ type: [InterfaceResponseDto] })
  async interfaces(@Param('id', ParseUUIDPipe) id: string): Promise<InterfaceResponseDto[]> {
    return (await this.monitoring.interfaces(id)).map(toInterfaceResponse);
  }

  @Patch('interfaces/:ifIndex')
  @MinRole('admin')
  @ApiOkResponse({ type: InterfaceResponseDto })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('ifIndex', new IntParamPipe('ifIndex', 1)) ifIndex: number,
    @Body() dto: UpdateInterfaceDto,
  ): Promise<InterfaceResponseDto> {
    return toInterfaceResponse(await this.monitoring.updateInterface(id, ifIndex, dto));
  }

  @Get('history')
  @ApiOkResponse({ type: [HistoryEntryDto], description: 'Status changes, newest first' })
  async history(@Param('id', ParseUUIDPipe) id: string, @Query() query: HistoryQueryDto): Promise<HistoryEntryDto[]> {
    return (await this.monitoring.history(id, query.limit ?? 100)).map(toHistoryEntry);
  }

  @Post('ping')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: PingResponseDto, description: 'Four echoes, now, from the server' })
  ping(@Param('id', ParseUUIDPipe) id: string): Promise<PingResponseDto> {
    return this.monitoring.ping(id);
  }
}
