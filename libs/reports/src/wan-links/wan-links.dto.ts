import { ApiProperty } from '@nestjs/swagger';

/** One row of `GET /api/reports/wan-links`. */
export class WanLinkReportDto {
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty() deviceName: string;
  @ApiProperty() ifIndex: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) provider: string | null;
  @ApiProperty({ nullable: true, type: String }) circuitId: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'contracted rate; null: measured against ifSpeed' })
  capacityBps: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '95th percentile of the bucket averages (bit/s)' })
  inP95Bps: number | null;
  @ApiProperty({ nullable: true, type: Number }) outP95Bps: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'highest bucket maximum (bit/s)' }) inPeakBps:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) outPeakBps: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'inP95Bps as % of capacityBps (else ifSpeed)' })
  inP95Pct: number | null;
  @ApiProperty({ nullable: true, type: Number }) outP95Pct: number | null;
  @ApiProperty({ description: 'hours whose average in or out rate was over the utilisation threshold' })
  hoursOverThreshold: number;
}
