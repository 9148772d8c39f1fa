export { silentProbeLogger } from './probe-logger';
export type { ProbeLogger } from './probe-logger';
export { summarizePingSamples, failedPingResult, isProbeableHost } from './ping-result';
export type { PingResult } from './ping-result';
export { parseFpingOutput, parseSummaryLine } from './fping-output.parser';
export type { FpingParseOutput } from './fping-output.parser';
export { FpingProber } from './fping-prober';
export type { FpingProberOptions, FpingProbeOptions, FpingStatus, FpingPrivilege, FpingRunStats } from './fping-prober';
export { PingProber } from './ping-prober';
export type { PingProberOptions, PingOnceOptions } from './ping-prober';
export {
  SnmpCredentialsError,
  deriveSecurityLevel,
  validateSnmpCredentials,
  credentialFingerprint,
  describeCredentials,
} from './snmp-credentials';
export type {
  SnmpCredentials,
  SnmpCommunityCredentials,
  SnmpV3Credentials,
  SnmpTarget,
  SnmpAuthProtocol,
  SnmpPrivProtocol,
  SnmpSecurityLevel,
} from './snmp-credentials';
export { SnmpProbeError, classifySnmpError } from './snmp-errors';
export type { SnmpFailureReason } from './snmp-errors';
export { FULL_INTERFACE_WALK_EVERY, SnmpClient } from './snmp-client';
export type { SnmpClientOptions, SnmpInterfacesResult } from './snmp-client';
export { mapInterfaces, mapSystemInfo, mapHostResources } from './snmp-result.mapper';
export type { SnmpSystemInfo, SnmpInterface, SnmpHostResources } from './snmp-result.mapper';
export { TrapReceiver } from './trap-receiver';
export type { TrapReceiverOptions, TrapReceiverCounters } from './trap-receiver';
export { decodeTrap, TrapDecodeError } from './trap-decoder';
export type { TrapEvent, TrapKind } from './trap-decoder';
