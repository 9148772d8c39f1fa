import { EmbeddedPostgres, PostgresExit } from './embedded-postgres';
import { oneLine } from './startup-error';

export interface SupervisorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SupervisorOptions {
  /** First wait before a restart; doubles on each failed attempt. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** After this long without the server back, give up: `onGiveUp` (the service exits for its supervisor). */
  giveUpAfterMs: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  initialBackoffMs: 250,
  maxBackoffMs: 8000,
  giveUpAfterMs: 60_000,
};

export type SupervisedState = 'running' | 'restarting' | 'failed' | 'stopped';

/**
 * Keeps the embedded PostgreSQL running: when it ends without being asked to (kill -9, the OOM killer,
 * a crash), starts it again on the same port and cluster (PostgreSQL runs crash recovery from its WAL),
 * with exponential backoff, one log line per event. If it is not back within `giveUpAfterMs` (data dir
 * gone, disk full, crashing on start), it reports why and calls `onGiveUp`.
 */
export class PostgresSupervisor {
  private state: SupervisedState = 'running';
  private restarts = 0;
  private downSince?: number;
  private lastExit?: string;
  private lastError?: string;
  private readonly options: SupervisorOptions;
  private readonly off: () => void;
  private recovering?: Promise<void>;
  /** Called after each successful restart (the service counts them in /metrics). */
  onRestart?: () => void;

  constructor(
    private readonly server: EmbeddedPostgres,
    private readonly log: SupervisorLog,
    private readonly onGiveUp: (reason: string) => void,
    options: Partial<SupervisorOptions> = {},
  ) {
    this.options = { ...DEFAULT_SUPERVISOR_OPTIONS, ...options };
    this.off = server.onUnexpectedExit((exit) => {
      this.recovering = this.recover(exit);
    });
  }

  status(): { state: SupervisedState; restarts: number; downForMs?: number; lastExit?: string; lastError?: string } {
    return {
      state: this.state,
      restarts: this.restarts,
      downForMs: this.downSince ? Date.now() - this.downSince : undefined,
      lastExit: this.lastExit,
      lastError: this.lastError,
    };
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** No more restarts (shutdown); waits for a restart under way to settle. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.off();
    await this.recovering;
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  private async recover(exit: PostgresExit): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'restarting';
    const downSince = Date.now();
    this.downSince = downSince;
    this.lastExit = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    this.lastError = undefined;
    this.log.warn(
      { pid: exit.pid, code: exit.code, signal: exit.signal, last: exit.tail.at(-1) },
      `embedded PostgreSQL ${this.lastExit}; restarting it (crash recovery runs on its cluster)`,
    );
    let backoff = this.options.initialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      await new Promise((r) => setTimeout(r, backoff));
      if (this.stopped) return;
      try {
        await this.server.launch();
        this.restarts++;
        this.onRestart?.();
        const downMs = Date.now() - downSince;
        this.state = 'running';
        this.downSince = undefined;
        this.log.info(
          { attempt, downMs, restarts: this.restarts },
          `embedded PostgreSQL is back after ${(downMs / 1000).toFixed(1)} s (restart ${this.restarts})`,
        );
        return;
      } catch (e) {
        if (this.stopped) return;
        this.lastError = oneLine(e);
        const downMs = Date.now() - downSince;
        if (downMs + backoff >= this.options.giveUpAfterMs) {
          this.state = 'failed';
          const reason = `the embedded PostgreSQL did not come back within ${this.options.giveUpAfterMs / 1000} s: ${this.lastError}`;
          this.log.error({ attempt, downMs }, reason);
          this.onGiveUp(reason);
          return;
        }
        this.log.warn({ attempt, retryInMs: backoff * 2 }, `embedded PostgreSQL restart failed: ${this.lastError}`);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
      }
    }
  }
}
