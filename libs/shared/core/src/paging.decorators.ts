import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/*
 * A list query's `limit` and `offset`, validated alike wherever a list pages. The decorators are given
 * bottom first, the order in which stacked decorators apply, so messages come in the order they did
 * when each DTO stacked them itself.
 */

/** `limit`: an optional whole number from 1 to `max` (the API's default is `dflt`). */
export function PageLimit(max: number, dflt: number): PropertyDecorator {
  return applyDecorators(
    Max(max),
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ minimum: 1, maximum: max, default: dflt }),
  );
}

/** `offset`: an optional whole number, 0 or more. */
export function PageOffset(): PropertyDecorator {
  return applyDecorators(
    Min(0),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ minimum: 0, default: 0 }),
  );
}
