import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@localhost' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['viewer', 'agent', 'manager', 'admin'] }) role: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) team: string | null;
  @ApiProperty({ description: 'cannot sign in or use the API' }) disabled: boolean;
  @ApiProperty() createdAt: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
}

export { IsEmail };
