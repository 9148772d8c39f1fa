export { Clock, FakeClock, SystemClock } from './clock';
export { DomainError } from './domain-error';
export type { DomainErrorCode } from './domain-error';
export { DomainErrorFilter, httpStatusOf } from './domain-error.filter';
export { SecretBox } from './secret-box';
export { CoreModule } from './core.module';
export { MasterKey } from './master-key';
export { Public, IS_PUBLIC } from './public.decorator';
export { EventBus } from './event-bus';
