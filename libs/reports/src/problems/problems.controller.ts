import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { ReportsService } from '../reports/reports.service';
import { EpisodeRepository } from '../episodes/episode.repository';
import { ListProblemsQueryDto, ProblemResponseDto, ProblemWithEpisodesDto, UpdateProblemDto } from './problem.dto';
import { toProblemResponse } from './problem.mapper';
import { ProblemsService } from './problems.service';

@ApiTags('problems')
@ApiBearerAuth()
@MinRole('manager')
@Controller('problems')
export class ProblemsController {
  constructor(
    private readonly problems: ProblemsService,
    private readonly reports: ReportsService,
    private readonly episodes: EpisodeRepository,
  ) {}

  @Get()
  @ApiOkResponse({
    type: [ProblemResponseDto],
    description: 'Newest first; with from/to, only problems with an episode in the window',
  })
  async list(@Query() q: ListProblemsQueryDto): Promise<ProblemResponseDto[]> {
    const range = q.from !== undefined || q.to !== undefined ? this.reports.range(q) : undefined;
    return (await this.problems.list(q.status, range)).map(toProblemResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProblemWithEpisodesDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ProblemWithEpisodesDto> {
    const view = await this.problems.get(id);
    const episodes = this.reports.toEpisodeResponses(view.episodes, await this.episodes.maintenanceWindows());
    return { ...toProblemResponse(view), episodes };
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProblemResponseDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProblemDto): Promise<ProblemResponseDto> {
    return toProblemResponse(await this.problems.update(id, dto.status, dto.workaround));
  }
}
