import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { CreateSiteDto, SiteResponseDto, UpdateSiteDto } from './dto/site.dto';
import { toSiteResponse } from './device.mapper';
import { SitesService } from './sites.service';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Post()
  @MinRole('admin')
  @ApiCreatedResponse({ type: SiteResponseDto })
  async create(@Body() dto: CreateSiteDto): Promise<SiteResponseDto> {
    return toSiteResponse(await this.sites.create(dto));
  }

  @Get()
  @ApiOkResponse({ type: [SiteResponseDto] })
  async list(): Promise<SiteResponseDto[]> {
    return (await this.sites.list()).map(toSiteResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: SiteResponseDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<SiteResponseDto> {
    return toSiteResponse(await this.sites.get(id));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOkResponse({ type: SiteResponseDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSiteDto): Promise<SiteResponseDto> {
    return toSiteResponse(await this.sites.update(id, dto));
  }

  @Delete(':id')
  @MinRole('admin')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.sites.remove(id);
  }
}
