import { IsOptional, IsUUID, ValidateIf } from 'class-validator';

/** The `subscribe` message: narrow the feed to one site, or `null` for every site. */
export class SubscribeDto {
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  siteId?: string | null;
}
