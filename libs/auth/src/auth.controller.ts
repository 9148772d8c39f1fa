import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@netdesk/core';
import { AuthService } from './auth.service';
import { CurrentUser } from './auth.decorators';
import { LoginDto, LoginResponseDto, UserResponseDto } from './dto/login.dto';
import { Principal } from './principal';
import { toUserResponse } from './user.mapper';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one message for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins from this address; see Retry-After' })
  async login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    const { accessToken, expiresAt, user } = await this.auth.login(dto.email, dto.password, ip);
    return { accessToken, expiresAt: expiresAt.toISOString(), user: toUserResponse(user) };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserResponseDto })
  async me(@CurrentUser() principal: Principal): Promise<UserResponseDto> {
    return toUserResponse(await this.users.get(principal.id));
  }
}
