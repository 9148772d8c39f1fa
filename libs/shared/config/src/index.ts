export { ConfigModule } from './config.module';
export { ConfigError, NetdeskConfig, envSchema, loadConfig } from './config.schema';
export type { Env } from './config.schema';
