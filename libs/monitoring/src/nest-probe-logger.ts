import { Logger } from '@nestjs/common';
import type { ProbeLogger } from './probes';

/** The probes' pino-style logger on top of Nest's Logger (and so the service's pino output). */
export function nestProbeLogger(context: string): ProbeLogger {
  const logger = new Logger(context);
  return {
    warn: (obj, msg) => logger.warn(obj, msg),
    info: (obj, msg) => logger.log(obj, msg),
    debug: (obj, msg) => logger.debug(obj, msg),
  };
}
