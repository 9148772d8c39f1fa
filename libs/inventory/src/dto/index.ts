export * from './device.dto';
export * from './site.dto';
