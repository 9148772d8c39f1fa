import { ValidationError } from '@nestjs/common';
import { DomainError } from './domain-error';
import { SafeValidationPipe } from './safe-validation.pipe';

/**
 * The messages of a validation failure, flattened the way Nest does it (`steps.0.team must be …`). A
 * field that is `null` where a value is required is named once ("name must not be null"), not with
 * every other rule that a null also breaks.
 */
export function validationMessages(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const prefix = parentPath ? `${parentPath}.` : '';
    const constraints = error.constraints ?? {};
    const failed = Object.values(constraints);
    // only fields that may not be null are validated when null (`@IsOptional()` skips it)
    const own = failed.length && error.value === null ? [`${error.property} must not be null`] : failed;
    const nested = validationMessages(error.children ?? [], `${prefix}${error.property}`);
    return [...own.map((m) => `${prefix}${m}`), ...nested];
  });
}

/**
 * The one validation configuration, for HTTP bodies, queries and params and for socket payloads (which
 * the SafeValidationPipe walks for depth, keys, NUL and surrogates before class-transformer sees them).
 */
export function createValidationPipe(): SafeValidationPipe {
  return new SafeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new DomainError('invalid', validationMessages(errors)),
  });
}
