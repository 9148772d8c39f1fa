import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * Like `@IsOptional()`, but only an absent field skips validation: `null` is validated like any other
 * value (so `{"name": null}` is a 400 naming `name`, not a 500 further in). Keep `@IsOptional()` for
 * fields where `null` means "clear it".
 */
export function IsOptionalNonNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((object: object, value: unknown) => value !== undefined, options);
}
