import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { ContactEntity } from './contact.entity';
import { ContactResponseDto, CreateContactDto, CreateSiteDomainDto, SiteDomainResponseDto } from './contact.dto';
import { ContactsService } from './contacts.service';

const present = (c: ContactEntity): ContactResponseDto => ({
  id: c.id,
  email: c.email,
  name: c.name,
  siteId: c.siteId,
});

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @ApiOkResponse({ type: [ContactResponseDto] })
  async list(): Promise<ContactResponseDto[]> {
    return (await this.contacts.list()).map(present);
  }

  @Post()
  @MinRole('agent')
  @ApiCreatedResponse({ type: ContactResponseDto })
  @ApiConflictResponse({ description: 'A contact with this email exists' })
  async create(@Body() dto: CreateContactDto): Promise<ContactResponseDto> {
    return present(await this.contacts.create(dto));
  }

  @Get('domains')
  @ApiOkResponse({ type: [SiteDomainResponseDto], description: "Sites' mail domains" })
  async domains(): Promise<SiteDomainResponseDto[]> {
    return (await this.contacts.domains()).map((d) => ({ domain: d.domain, siteId: d.siteId }));
  }

  @Post('domains')
  @MinRole('agent')
  @ApiCreatedResponse({
    type: SiteDomainResponseDto,
    description: 'Everyone writing from the domain belongs to the site',
  })
  async addDomain(@Body() dto: CreateSiteDomainDto): Promise<SiteDomainResponseDto> {
    const d = await this.contacts.addDomain(dto);
    return { domain: d.domain, siteId: d.siteId };
  }

  @Delete('domains/:domain')
  @MinRole('agent')
  @HttpCode(204)
  async removeDomain(@Param('domain') domain: string): Promise<void> {
    await this.contacts.removeDomain(domain.slice(0, 253));
  }

  @Delete(':id')
  @MinRole('agent')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.contacts.remove(id);
  }
}
