import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { DiscoveryDefaultsDto, DiscoveryResultDto, StartDiscoveryDto } from './discovery.dto';
import { DiscoveryService } from './discovery.service';

@ApiTags('discovery')
@ApiBearerAuth()
@Controller('discovery')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('defaults')
  @MinRole('admin')
  @ApiOkResponse({ type: DiscoveryDefaultsDto, description: 'The local subnets a discovery without cidr sweeps' })
  defaults(): Promise<DiscoveryDefaultsDto> {
    return this.discovery.defaults();
  }

  @Post()
  @MinRole('admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: DiscoveryResultDto,
    description: 'Devices found by a ping sweep and SNMP, proposed for the inventory; nothing is added',
  })
  @ApiBadRequestResponse({ description: 'Malformed cidr, or a range larger than a /16' })
  @ApiConflictResponse({ description: 'Another discovery is running' })
  discover(@Body() dto: StartDiscoveryDto): Promise<DiscoveryResultDto> {
    return this.discovery.discover(dto);
  }
}
