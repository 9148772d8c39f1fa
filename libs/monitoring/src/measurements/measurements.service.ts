import { Injectable } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, DomainError } from '@netdesk/core';
import { DevicesService } from '@netdesk/inventory';
import { isInterfaceMetric, Metric, Resolution } from './measurement.metrics';
import { resolveWindow } from './measurement-resolution';
import { MeasurementRepository } from './measurement.repository';
import { SeriesPoint } from './measurement.types';

export interface SeriesRequest {
  metric: Metric;
  from?: string;
  to?: string;
  ifIndex?: number;
  resolution?: Resolution;
}

export interface Series {
  deviceId: string;
  metric: Metric;
  ifIndex?: number;
  resolution: Resolution;
  from: Date;
  to: Date;
  points: SeriesPoint[];
}

/** Reads measurement series for graphs. */
@Injectable()
export class MeasurementsService {
  constructor(
    private readonly repository: MeasurementRepository,
    private readonly devices: DevicesService,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
  ) {}

  async series(deviceId: string, req: SeriesRequest): Promise<Series> {
    const problems: string[] = [];
    const iface = isInterfaceMetric(req.metric);
    if (iface && req.ifIndex === undefined) problems.push(`ifIndex: required for the interface metric ${req.metric}`);
    if (!iface && req.ifIndex !== undefined)
      problems.push(`ifIndex: only for interface metrics; ${req.metric} is a device metric`);
    const window = resolveWindow(req, this.clock.now(), this.config.measurementRetention);
    if (!window.ok) problems.push(...window.problems);
    if (problems.length || !window.ok) throw new DomainError('invalid', problems);
    await this.devices.get(deviceId);
    const { from, to, resolution } = window.window;
    const ifIndex = iface ? req.ifIndex : undefined;
    const points = await this.repository.series({ deviceId, metric: req.metric, ifIndex, resolution, from, to });
    return { deviceId, metric: req.metric, ...(ifIndex !== undefined && { ifIndex }), resolution, from, to, points };
  }
}
