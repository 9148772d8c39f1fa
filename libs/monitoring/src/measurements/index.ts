export { MeasurementsModule } from './measurements.module';
export { MeasurementWriter, MEASUREMENT_WRITER_OPTIONS, DEFAULT_WRITER_OPTIONS } from './measurement-writer.service';
export type { MeasurementWriterOptions } from './measurement-writer.service';
export { MeasurementRollupService } from './measurement-rollup.service';
export type { RollupResult, RetentionResult } from './measurement-rollup.service';
export type { DeviceSample, InterfaceSample } from './measurement.types';
export { DEVICE_METRICS, INTERFACE_METRICS, METRICS, RESOLUTIONS } from './measurement.metrics';
export type { DeviceMetric, InterfaceMetric, Metric, Resolution } from './measurement.metrics';
