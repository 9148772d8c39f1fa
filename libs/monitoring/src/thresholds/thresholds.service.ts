import { Injectable } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, EventBus } from '@netdesk/core';
import { thresholdNumbers, ThresholdSettingsDto } from '@netdesk/inventory';
import { BUILT_IN_THRESHOLDS, ThresholdSettings } from '../domain';
import { ThresholdsRepository } from './thresholds.repository';

export const THRESHOLD_EVENTS = { changed: 'monitoring.thresholds.changed' } as const;

/**
 * The threshold defaults, global and per device kind. Unset values fall back to the built-in ones, and
 * `rttMs`/`lossPct` to NETDESK_RTT_THRESHOLD_MS / NETDESK_LOSS_THRESHOLD_PCT. Read once and cached; a
 * change is published so the poller re-resolves every device's thresholds (never a query per poll).
 */
@Injectable()
export class ThresholdsService {
  private cached?: Promise<ThresholdSettings>;

  constructor(
    private readonly repo: ThresholdsRepository,
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  /** The built-in values with the environment's latency and loss thresholds. */
  get baseline(): ThresholdSettings['defaults'] {
    return {
      ...BUILT_IN_THRESHOLDS,
      rttMs: this.config.polling.rttThresholdMs,
      lossPct: this.config.polling.lossThresholdPct,
    };
  }

  settings(): Promise<ThresholdSettings> {
    this.cached ??= this.load().catch((err) => {
      this.cached = undefined;
      throw err;
    });
    return this.cached;
  }

  async replace(dto: ThresholdSettingsDto): Promise<ThresholdSettings> {
    const byKind: Record<string, Record<string, number>> = {};
    for (const [kind, values] of Object.entries(dto.byKind ?? {})) {
      const numbers = thresholdNumbers(values);
      if (Object.keys(numbers).length) byKind[kind] = numbers;
    }
    await this.repo.save(thresholdNumbers(dto.defaults), byKind, this.clock.now());
    this.cached = undefined;
    const settings = await this.settings();
    this.bus.publish(THRESHOLD_EVENTS.changed, {});
    return settings;
  }

  private async load(): Promise<ThresholdSettings> {
    const row = await this.repo.find();
    return { defaults: { ...this.baseline, ...(row?.defaults ?? {}) }, byKind: row?.byKind ?? {} };
  }
}
