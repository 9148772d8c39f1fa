import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { DomainError } from './domain-error';
import { inspectValue } from './input-guard';

/**
 * Nest's ValidationPipe, but a body or socket payload is first walked (without recursion) for depth,
 * key count, prototype keys, NUL and lone surrogates: class-transformer recurses, so a 3,000-deep
 * socket payload would otherwise overflow the stack, and class-validator's unknown-key check is
 * quadratic. HTTP bodies are already checked at the edge; socket payloads arrive here first.
 */
@Injectable()
export class SafeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const problems = inspectValue(value);
      if (problems.length) throw new DomainError('invalid', problems);
    }
    return super.transform(value, metadata);
  }
}
