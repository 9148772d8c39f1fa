export * from './counter';
export * from './device-state-machine';
export * from './device-topology';
export * from './flap-detector';
export * from './interface-state';
export * from './poll-schedule';
export * from './reboot-detector';
export * from './thresholds';
