import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SNAPSHOT_VIEWS, SnapshotView } from '../live.events';

/** What a client may put in the socket.io handshake (`auth`, or `siteId` also in the query). */
export class LiveHandshakeDto {
  /** An access token from `POST /api/auth/login`; missing or bad: the connection is refused. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  token?: string;

  /** Only this site's devices and tickets. */
  @IsOptional()
  @IsUUID()
  siteId?: string;

  /** One `batch` event per window instead of the individual events. */
  @IsOptional()
  @IsBoolean()
  batch?: boolean;

  /** `summary`: the snapshot's devices carry only what a status board shows (see README "Live updates"). */
  @IsOptional()
  @IsIn(SNAPSHOT_VIEWS, { message: `view must be one of: ${SNAPSHOT_VIEWS.join(', ')}` })
  view?: SnapshotView;
}
