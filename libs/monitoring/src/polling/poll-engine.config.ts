import type { NetdeskConfig } from '@netdesk/config';
import {
  DEFAULT_FLAP_THRESHOLDS,
  DEFAULT_RECHECK_SPACING_MS,
  DEFAULT_STATE_MACHINE_CONFIG,
  FlapThresholds,
  StateMachineConfig,
} from '../domain';

export interface PollEngineConfig {
  stateMachine: StateMachineConfig;
  flap: FlapThresholds;
  /** Spacing of the re-probes that confirm a failure or recovery, start to start. */
  recheckSpacingMs: number;
  /**
   * Re-probes of a device that answered nothing last time (a `down` being confirmed): ICMP echoes
   * and an SNMP system get in parallel, each given `timeoutMs` in all, instead of a full poll (whose
   * SNMP timeout and retry would make every confirmation take seconds). The echo count is kept, so a
   * lossy link is judged on as many echoes as before.
   */
  silentRecheck: { timeoutMs: number; pingCount: number; pingPeriodMs: number };
  /** How often due devices are gathered into an ICMP round. */
  tickMs: number;
  /**
   * Devices merely on schedule wait up to this long to share a round (one fping run) with the next ones
   * due; triggered polls and rechecks never wait. Fewer, larger rounds cost less CPU per check.
   */
  roundGapMs: number;
  /** ICMP rounds (fping processes) running at once. */
  maxRoundsInFlight: number;
  /** Hosts in one round at most. */
  maxRoundSize: number;
  /** How many rechecks a device may wait for an ancestor whose own failure is not yet confirmed. */
  maxDeferrals: number;
  pollHostResources: boolean;
}

export const DEFAULT_POLL_ENGINE_CONFIG: PollEngineConfig = {
  stateMachine: { ...DEFAULT_STATE_MACHINE_CONFIG, maxLossPct: 50, maxRttMs: 500 },
  flap: DEFAULT_FLAP_THRESHOLDS,
  recheckSpacingMs: DEFAULT_RECHECK_SPACING_MS,
  silentRecheck: { timeoutMs: 600, pingCount: 3, pingPeriodMs: 50 },
  tickMs: 250,
  roundGapMs: 1000,
  maxRoundsInFlight: 4,
  maxRoundSize: 20_000,
  maxDeferrals: 5,
  pollHostResources: true,
};

/** The engine's configuration from the product's `polling` settings (the core's poller and apps/poller alike). */
export function pollEngineConfigFrom(polling: NetdeskConfig['polling']): PollEngineConfig {
  return {
    ...DEFAULT_POLL_ENGINE_CONFIG,
    stateMachine: {
      downAfter: polling.downAfter,
      upAfter: polling.upAfter,
      maxLossPct: polling.lossThresholdPct,
      maxRttMs: polling.rttThresholdMs,
    },
    flap: { highPct: polling.flapHighPct, lowPct: polling.flapLowPct },
    recheckSpacingMs: polling.recheckMs,
  };
}
