import { UserEntity } from './user.entity';
import { UserResponseDto } from './dto/login.dto';

/** The only way a user leaves the API: never the password hash. */
export function toUserResponse(user: UserEntity): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    name: user.name,
    team: user.team,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
  };
}
