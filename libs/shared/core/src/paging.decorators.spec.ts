import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, validateSync } from 'class-validator';
import { PageLimit, PageOffset } from './paging.decorators';

class Folded {
  @PageLimit(200, 20)
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** What the list DTOs stacked themselves before `PageLimit`/`PageOffset`. */
class Stacked {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

const messages = (cls: new () => object, query: Record<string, string | undefined>) =>
  validateSync(plainToInstance(cls, query)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('PageLimit and PageOffset', () => {
  it.each([
    {},
    { limit: '20' },
    { limit: '0' },
    { limit: '201' },
    { limit: 'abc' },
    { limit: '1.5' },
    { offset: '-1' },
    { offset: 'x', limit: '-3' },
  ])('validate %j as the stacked decorators did', (query) => {
    expect(messages(Folded, query)).toEqual(messages(Stacked, query));
  });

  it('refuses a limit out of range and a negative offset, naming them', () => {
    expect(messages(Folded, { limit: '201', offset: '-1' })).toEqual([
      'limit must not be greater than 200',
      'offset must not be less than 0',
    ]);
    expect(messages(Folded, { limit: '5', offset: '0' })).toEqual([]);
  });
});
