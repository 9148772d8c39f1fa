import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.join('/')}://`,
    });

/**
 * Every environment variable NetDesk honours, with its default. This is the only place that reads
 * `process.env`; the rest of the code receives a typed, validated `NetdeskConfig`.
 */
export const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: url(['postgres', 'postgresql']).optional(),
    NETDESK_DATA_DIR: z.string().min(1).default('./data'),
    NETDESK_SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    NETDESK_ADMIN_EMAIL: z.string().email().optional(),
    NETDESK_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
    NETDESK_TRAP_PORT: port.default(162),
    REDIS_URL: url(['redis', 'rediss']).optional(),
    NETDESK_SMTP_URL: url(['smtp', 'smtps']).optional(),
    NETDESK_IMAP_URL: url(['imap', 'imaps']).optional(),
    NETDESK_IMAP_POLL_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
    NETDESK_MAIL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(25 * 1024 * 1024),
    NETDESK_MAIL_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    NETDESK_MAIL_LOOP_MAX: z.coerce.number().int().min(1).max(1000).default(5),
    NETDESK_REQUEST_FOLLOWUP_SEC: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(3600),
    NETDESK_SMTP_FROM: z.string().trim().min(3).max(320).includes('@').default('NetDesk <netdesk@localhost>'),
    NETDESK_JWT_TTL_SEC: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(8 * 3600),
    NETDESK_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
    NETDESK_LOGIN_WINDOW_SEC: z.coerce.number().int().min(1).max(86400).default(300),
    NETDESK_POLLER: bool.default(true),
    NATS_URL: url(['nats', 'tls', 'ws', 'wss']).optional(),
    NETDESK_POLLER_NAME: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, dashes or underscores')
      .optional(),
    NETDESK_POLLER_GROUP: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, dashes or underscores')
      .default('default'),
    NETDESK_POLLER_LEASE_SEC: z.coerce.number().int().min(2).max(300).default(10),
    NETDESK_BACKFILL_PER_SEC: z.coerce.number().int().min(1).max(100_000).default(2000),
    NETDESK_DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    NETDESK_TRAP_BIND: z.string().min(1).default('0.0.0.0'),
    NETDESK_DEFAULT_TEAM: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
      .default('noc'),
    NETDESK_AUTO_CLOSE_SEC: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(3600),
    NETDESK_TICKETING_SWEEP_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    NETDESK_DOWN_AFTER: z.coerce.number().int().min(1).max(20).default(3),
    NETDESK_UP_AFTER: z.coerce.number().int().min(1).max(20).default(2),
    NETDESK_RECHECK_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    NETDESK_FLAP_HIGH_PCT: z.coerce.number().min(1).max(100).default(20),
    NETDESK_FLAP_LOW_PCT: z.coerce.number().min(0).max(100).default(5),
    NETDESK_LOSS_THRESHOLD_PCT: z.coerce.number().min(0).max(100).default(50),
    NETDESK_RTT_THRESHOLD_MS: z.coerce.number().min(1).max(60_000).default(500),
    NETDESK_PING_COUNT: z.coerce.number().int().min(1).max(20).default(3),
    NETDESK_PING_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1000),
    NETDESK_PING_PERIOD_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    NETDESK_SNMP_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1000),
    NETDESK_SNMP_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
    NETDESK_SNMP_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(5000).default(200),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NETDESK_RETENTION_RAW_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 31)
      .default(48),
    NETDESK_RETENTION_5M_DAYS: z.coerce.number().int().min(1).max(366).default(30),
    NETDESK_RETENTION_1H_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(10 * 366)
      .default(400),
    NETDESK_RECURRING_MIN: z.coerce.number().int().min(2).max(100).default(3),
    NETDESK_RECURRING_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    NETDESK_LIVE_WINDOW_MS: z.coerce.number().int().min(5).max(1000).default(25),
    NETDESK_DIGEST_CRON: z
      .string()
      .trim()
      .regex(/^(off|(\S+\s+){4,5}\S+)$/, 'must be a cron expression (5 or 6 fields) or "off"')
      .default('0 7 * * 1'),
  })
  .superRefine((env, ctx) => {
    if (env.NETDESK_FLAP_LOW_PCT >= env.NETDESK_FLAP_HIGH_PCT) {
      ctx.addIssue({
        code: 'custom',
        path: ['NETDESK_FLAP_LOW_PCT'],
        message: 'must be lower than NETDESK_FLAP_HIGH_PCT',
      });
    }
    if (Boolean(env.NETDESK_ADMIN_EMAIL) !== Boolean(env.NETDESK_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.NETDESK_ADMIN_EMAIL ? 'NETDESK_ADMIN_PASSWORD' : 'NETDESK_ADMIN_EMAIL'],
        message: 'NETDESK_ADMIN_EMAIL and NETDESK_ADMIN_PASSWORD must be set together',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** The validated configuration, grouped by concern. */
export class NetdeskConfig {
  readonly http: { port: number; host: string };
  readonly database: { url?: string; poolSize: number };
  readonly dataDir: string;
  readonly secretKey?: string;
  readonly bootstrapAdmin?: { email: string; password: string };
  readonly auth: { jwtTtlSec: number; loginMaxFailures: number; loginWindowSec: number };
  readonly trapPort: number;
  readonly redisUrl?: string;
  readonly smtpUrl?: string;
  /** Sender of notification emails (`Name <address>` or a bare address). */
  readonly smtpFrom: string;
  /** Polls in this process, straight to the database (the single-process product: no NATS_URL). */
  readonly pollerEnabled: boolean;
  /**
   * People's requests by email: the mailbox read over IMAP (null: no email in), how often it is polled
   * besides IDLE, the largest message and attachment kept, how many mails one sender may send in ten
   * minutes before answers stop (a loop), and how long after a resolution a reply reopens the request.
   */
  readonly mail: {
    imapUrl: string | null;
    pollMs: number;
    maxMessageBytes: number;
    maxAttachmentBytes: number;
    loopMax: number;
    followUpSec: number;
  };
  /**
   * Scale-out over NATS JetStream (null without NATS_URL). `embeddedPoller`: this server also runs a
   * poller of `group`, publishing through NATS like any other (NETDESK_POLLER=false turns it off).
   */
  readonly scaleOut: {
    natsUrl: string;
    pollerName: string;
    group: string;
    embeddedPoller: boolean;
    leaseSec: number;
    backfillPerSec: number;
  } | null;
  /** The help desk's defaults. */
  readonly ticketing: { defaultTeam: string; autoCloseAfterSec: number; automationIntervalMs: number };
  /** How the poller probes and judges devices. */
  readonly polling: {
    trapBind: string;
    downAfter: number;
    upAfter: number;
    recheckMs: number;
    flapHighPct: number;
    flapLowPct: number;
    lossThresholdPct: number;
    rttThresholdMs: number;
    ping: { count: number; timeoutMs: number; periodMs: number };
    snmp: { timeoutMs: number; retries: number; maxInFlight: number };
  };
  readonly logLevel: Env['LOG_LEVEL'];
  /** The live feed's coalescing window: changes gathered this long go out in one frame per client. */
  readonly live: { windowMs: number };
  /** How long measurements are kept, per resolution (raw samples, 5-minute and hourly rollups). */
  readonly measurementRetention: { rawHours: number; fiveMinuteDays: number; hourlyDays: number };
  /** Recurring-fault rule (occurrences within days) and the weekly digest's cron (null: off). */
  readonly reports: { recurringMin: number; recurringWindowDays: number; digestCron: string | null };

  constructor(env: Env) {
    this.http = { port: env.PORT, host: env.HOST };
    this.database = { url: env.DATABASE_URL, poolSize: env.NETDESK_DB_POOL_SIZE };
    this.dataDir = path.resolve(env.NETDESK_DATA_DIR);
    this.secretKey = env.NETDESK_SECRET_KEY;
    this.bootstrapAdmin =
      env.NETDESK_ADMIN_EMAIL && env.NETDESK_ADMIN_PASSWORD
        ? { email: env.NETDESK_ADMIN_EMAIL.toLowerCase(), password: env.NETDESK_ADMIN_PASSWORD }
        : undefined;
    this.auth = {
      jwtTtlSec: env.NETDESK_JWT_TTL_SEC,
      loginMaxFailures: env.NETDESK_LOGIN_MAX_FAILURES,
      loginWindowSec: env.NETDESK_LOGIN_WINDOW_SEC,
    };
    this.trapPort = env.NETDESK_TRAP_PORT;
    this.redisUrl = env.REDIS_URL;
    this.smtpUrl = env.NETDESK_SMTP_URL;
    this.smtpFrom = env.NETDESK_SMTP_FROM;
    this.pollerEnabled = env.NETDESK_POLLER && !env.NATS_URL;
    this.mail = {
      imapUrl: env.NETDESK_IMAP_URL ?? null,
      pollMs: env.NETDESK_IMAP_POLL_MS,
      maxMessageBytes: env.NETDESK_MAIL_MAX_BYTES,
      maxAttachmentBytes: env.NETDESK_MAIL_ATTACHMENT_MAX_BYTES,
      loopMax: env.NETDESK_MAIL_LOOP_MAX,
      followUpSec: env.NETDESK_REQUEST_FOLLOWUP_SEC,
    };
    this.scaleOut = env.NATS_URL
      ? {
          natsUrl: env.NATS_URL,
          pollerName:
            env.NETDESK_POLLER_NAME ??
            os
              .hostname()
              .replace(/[^\w-]/g, '-')
              .slice(0, 64),
          group: env.NETDESK_POLLER_GROUP,
          embeddedPoller: env.NETDESK_POLLER,
          leaseSec: env.NETDESK_POLLER_LEASE_SEC,
          backfillPerSec: env.NETDESK_BACKFILL_PER_SEC,
        }
      : null;
    this.ticketing = {
      defaultTeam: env.NETDESK_DEFAULT_TEAM,
      autoCloseAfterSec: env.NETDESK_AUTO_CLOSE_SEC,
      automationIntervalMs: env.NETDESK_TICKETING_SWEEP_MS,
    };
    this.polling = {
      trapBind: env.NETDESK_TRAP_BIND,
      downAfter: env.NETDESK_DOWN_AFTER,
      upAfter: env.NETDESK_UP_AFTER,
      recheckMs: env.NETDESK_RECHECK_MS,
      flapHighPct: env.NETDESK_FLAP_HIGH_PCT,
      flapLowPct: env.NETDESK_FLAP_LOW_PCT,
      lossThresholdPct: env.NETDESK_LOSS_THRESHOLD_PCT,
      rttThresholdMs: env.NETDESK_RTT_THRESHOLD_MS,
      ping: {
        count: env.NETDESK_PING_COUNT,
        timeoutMs: env.NETDESK_PING_TIMEOUT_MS,
        periodMs: env.NETDESK_PING_PERIOD_MS,
      },
      snmp: {
        timeoutMs: env.NETDESK_SNMP_TIMEOUT_MS,
        retries: env.NETDESK_SNMP_RETRIES,
        maxInFlight: env.NETDESK_SNMP_MAX_IN_FLIGHT,
      },
    };
    this.logLevel = env.LOG_LEVEL;
    this.live = { windowMs: env.NETDESK_LIVE_WINDOW_MS };
    this.measurementRetention = {
      rawHours: env.NETDESK_RETENTION_RAW_HOURS,
      fiveMinuteDays: env.NETDESK_RETENTION_5M_DAYS,
      hourlyDays: env.NETDESK_RETENTION_1H_DAYS,
    };
    this.reports = {
      recurringMin: env.NETDESK_RECURRING_MIN,
      recurringWindowDays: env.NETDESK_RECURRING_WINDOW_DAYS,
      digestCron: env.NETDESK_DIGEST_CRON === 'off' ? null : env.NETDESK_DIGEST_CRON,
    };
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses an environment (empty strings count as unset) into a `NetdeskConfig`, or throws naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): NetdeskConfig {
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const value = name in env && !/SECRET|PASSWORD|URL/.test(name) ? ` (got "${env[name]}")` : '';
        return `${name}: ${issue.message}${value}`;
      }),
    );
  }
  return new NetdeskConfig(parsed.data);
}
