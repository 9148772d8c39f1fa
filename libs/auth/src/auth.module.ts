import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MasterKey, SecretBox } from '@netdesk/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      useFactory: (key: MasterKey) => ({
        secret: SecretBox.deriveKey(key.value, 'jwt'),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
      inject: [MasterKey],
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [AuthService, UsersService, UserRepository, PasswordHasher, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, UsersService],
})
export class AuthModule {}
