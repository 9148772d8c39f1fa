export * from './device.dto';
export * from './site.dto';
export * from './thresholds.dto';
