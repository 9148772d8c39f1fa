/**
 * Minimal structured logger accepted by the probe adapters (pino-compatible:
 * object first, message second). Never pass SNMP communities or keys in `obj`.
 */
export interface ProbeLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export const silentProbeLogger: ProbeLogger = {
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
