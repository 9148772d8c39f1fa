import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

/**
 * A path integer within the range its column holds (`int4` by default): `2147483648`, `-1`, `1e3` or
 * 20 digits are a 400 naming the parameter, not a database error.
 */
@Injectable()
export class IntParamPipe implements PipeTransform<string | number, number> {
  constructor(
    private readonly name: string,
    private readonly min = 0,
    private readonly max = 2_147_483_647,
  ) {}

  /** The global ValidationPipe may already have made a number of it (from a `number` parameter). */
  transform(value: string | number): number {
    const n = typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < this.min || n > this.max) {
      throw new DomainError('invalid', `${this.name} must be an integer from ${this.min} to ${this.max}`);
    }
    return n;
  }
}
