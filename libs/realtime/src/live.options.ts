/** Tuning of the live feed. The defaults suit production; tests and the benchmark may override them. */
export interface LiveOptions {
  /** How long changes are gathered before they go out in one frame per client. */
  windowMs: number;
  /** Most pending changes (distinct devices, interfaces, tickets) held for one slow client; past it, a fresh snapshot. */
  clientQueueCap: number;
  /** Most distinct changes one audience (everyone, or one site) gathers in one window; past it, everyone there gets a snapshot. */
  audienceQueueCap: number;
  /** How often maintenance windows are checked for devices entering or leaving maintenance. */
  maintenanceCheckMs: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  windowMs: 25,
  clientQueueCap: 1000,
  audienceQueueCap: 5000,
  maintenanceCheckMs: 15_000,
};

export const LIVE_OPTIONS = Symbol('LIVE_OPTIONS');
