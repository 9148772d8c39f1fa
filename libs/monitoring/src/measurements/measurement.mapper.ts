import { MetricSeriesResponseDto } from './dto/metric-series.dto';
import { Series } from './measurements.service';

export function toMetricSeriesResponse(s: Series): MetricSeriesResponseDto {
  return {
    deviceId: s.deviceId,
    metric: s.metric,
    ...(s.ifIndex !== undefined && { ifIndex: s.ifIndex }),
    resolution: s.resolution,
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    points: s.points.map((p) => ({ at: p.at.toISOString(), avg: p.avg, min: p.min, max: p.max })),
  };
}
