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
    NETDESK_JWT_TTL_SEC: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(8 * 3600),
    NETDESK_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
    NETDESK_LOGIN_WINDOW_SEC: z.coerce.number().int().min(1).max(86400).default(300),
    NETDESK_POLLER: bool.default(true),
    NETDESK_DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
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
  readonly pollerEnabled: boolean;
  readonly logLevel: Env['LOG_LEVEL'];

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
    this.pollerEnabled = env.NETDESK_POLLER;
    this.logLevel = env.LOG_LEVEL;
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
