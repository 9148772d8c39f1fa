import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { CreateEscalationPolicyDto, EscalationPolicyResponseDto } from './escalation/escalation-policy.dto';
import { EscalationPolicies } from './escalation/escalation-policies.service';
import { EscalationPolicyEntity } from './escalation/escalation-policy.entity';
import { CreateMaintenanceWindowDto, MaintenanceWindowResponseDto } from './maintenance/maintenance-window.dto';
import { MaintenanceWindowEntity } from './maintenance/maintenance-window.entity';
import { MaintenanceWindows } from './maintenance/maintenance-windows.service';
import { CreateRoutingRuleDto, RoutingRuleResponseDto } from './routing/routing-rule.dto';
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

  @Post('routing-rules')
  @MinRole('manager')
  @ApiCreatedResponse({ type: RoutingRuleResponseDto })
  createRule(@Body() dto: CreateRoutingRuleDto): Promise<RoutingRuleResponseDto> {
    return this.routing.create(dto);
  }

  @Get('routing-rules')
  @ApiOkResponse({ type: [RoutingRuleResponseDto], description: 'In evaluation order' })
  listRules(): Promise<RoutingRuleResponseDto[]> {
    return this.routing.list();
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

  @Delete('maintenance-windows/:id')
  @MinRole('manager')
  @HttpCode(204)
  removeWindow(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.maintenance.remove(id);
  }
}
