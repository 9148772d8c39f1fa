export * from './episodes';
export * from './recurrence';
export * from './problem-lifecycle';
export * from './csv';
export * from './availability';
export * from './report-window';
export * from './maintenance';
