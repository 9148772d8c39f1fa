export type { FieldError } from './field-error';
export * from './ticket-lifecycle';
export * from './fault';
export * from './priority';
export * from './escalation';
export * from './sla';
export * from './maintenance';
export * from './routing';
