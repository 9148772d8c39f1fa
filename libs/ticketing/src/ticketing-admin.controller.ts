import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import {
  CreateEscalationPolicyDto,
  EscalationPolicyResponseDto,
  UpdateEscalationPolicyDto,
} from './escalation/escalation-policy.dto';
import { EscalationPolicies } from './escalation/escalation-policies.service';
import { EscalationPolicyEntity } from './escalation/escalation-policy.entity';
import {
  CreateMaintenanceWindowDto,
  MaintenanceWindowResponseDto,
  UpdateMaintenanceWindowDto,
} from './maintenance/maintenance-window.dto';
import { MaintenanceWindowEntity } from './maintenance/maintenance-window.entity';
import { MaintenanceWindows } from './maintenance/maintenance-windows.service';
import { CreateRoutingRuleDto, RoutingRuleResponseDto, UpdateRoutingRuleDto } from './routing/routing-rule.dto';
import { RoutingRuleEntity } from './routing/routing-rule.entity';
import { RoutingRules } from './routing/routing-rules.service';

const toPolicy = (p: EscalationPolicyEntity): EscalationPolicyResponseDto => ({
  id: p.id,
  name: p.name,
  steps: p.steps,
  repeat: p.repeat,
  maxRepeats: p.maxRepeats,
  isDefault: p.isDefault,
});
const toWindow = (w: MaintenanceWindowEntity): MaintenanceWindowResponseDto => ({
  id: w.id,
  name: w.name,
  deviceId: w.deviceId,
  siteId: w.siteId,
  startsAt: w.startsAt?.toISOString() ?? null,
  endsAt: w.endsAt?.toISOString() ?? null,
  weekly: w.weekly,
});
const toRule = (r: RoutingRuleEntity): RoutingRuleResponseDto => ({
  id: r.id,
  position: r.position,
  siteId: r.siteId,
  tag: r.tag,
  kind: r.kind,
  team: r.team,
});

/** Policies that shape ticketing: escalation, routing, maintenance. Managers change them; everyone reads. */
@ApiTags('ticketing policies')
@ApiBearerAuth()
@Controller()
export class TicketingAdminController {
  constructor(
    private readonly policies: EscalationPolicies,
    private readonly routing: RoutingRules,
    private readonly maintenance: MaintenanceWindows,
  ) {}

  @Post('escalation-policies')
  @MinRole('manager')
  @ApiCreatedResponse({ type: EscalationPolicyResponseDto })
  async createPolicy(@Body() dto: CreateEscalationPolicyDto): Promise<EscalationPolicyResponseDto> {
    return toPolicy(await this.policies.create(dto));
  }

  @Get('escalation-policies')
  @ApiOkResponse({ type: [EscalationPolicyResponseDto] })
  async listPolicies(): Promise<EscalationPolicyResponseDto[]> {
    return (await this.policies.list()).map(toPolicy);
  }

  @Get('escalation-policies/:id')
  @ApiOkResponse({ type: EscalationPolicyResponseDto })
  async getPolicy(@Param('id', ParseUUIDPipe) id: string): Promise<EscalationPolicyResponseDto> {
    return toPolicy(await this.policies.get(id));
  }

  @Patch('escalation-policies/:id')
  @MinRole('manager')
  @ApiOkResponse({ type: EscalationPolicyResponseDto })
  async updatePolicy(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateEscalationPolicyDto,
  ): Promise<EscalationPolicyResponseDto> {
    return toPolicy(await this.policies.update(id, dto));
  }

  @Delete('escalation-policies/:id')
  @MinRole('manager')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; 409 for the default policy or one still in use' })
  removePolicy(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.policies.remove(id);
  }

  @Post('routing-rules')
  @MinRole('manager')
  @ApiCreatedResponse({ type: RoutingRuleResponseDto })
  async createRule(@Body() dto: CreateRoutingRuleDto): Promise<RoutingRuleResponseDto> {
    return toRule(await this.routing.create(dto));
  }

  @Get('routing-rules')
  @ApiOkResponse({ type: [RoutingRuleResponseDto], description: 'In evaluation order' })
  async listRules(): Promise<RoutingRuleResponseDto[]> {
    return (await this.routing.list()).map(toRule);
  }

  @Patch('routing-rules/:id')
  @MinRole('manager')
  @ApiOkResponse({ type: RoutingRuleResponseDto, description: '`position` moves the rule; the others close up' })
  async updateRule(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateRoutingRuleDto,
  ): Promise<RoutingRuleResponseDto> {
    return toRule(await this.routing.update(id, dto));
  }

  @Delete('routing-rules/:id')
  @MinRole('manager')
  @HttpCode(204)
  removeRule(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.routing.remove(id);
  }

  @Post('maintenance-windows')
  @MinRole('manager')
  @ApiCreatedResponse({ type: MaintenanceWindowResponseDto })
  async createWindow(@Body() dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponseDto> {
    return toWindow(await this.maintenance.create(dto));
  }

  @Get('maintenance-windows')
  @ApiOkResponse({ type: [MaintenanceWindowResponseDto] })
  async listWindows(): Promise<MaintenanceWindowResponseDto[]> {
    return (await this.maintenance.list()).map(toWindow);
  }

  @Patch('maintenance-windows/:id')
  @MinRole('manager')
  @ApiOkResponse({ type: MaintenanceWindowResponseDto })
  async updateWindow(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMaintenanceWindowDto,
  ): Promise<MaintenanceWindowResponseDto> {
    return toWindow(await this.maintenance.update(id, dto));
  }

  @Delete('maintenance-windows/:id')
  @MinRole('manager')
  @HttpCode(204)
  removeWindow(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.maintenance.remove(id);
  }
}
