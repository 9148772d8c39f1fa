import { DynamicModule, Global, Module } from '@nestjs/common';
import { NetdeskConfig } from './config.schema';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: NetdeskConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: NetdeskConfig, useValue: config }],
      exports: [NetdeskConfig],
    };
  }
}
