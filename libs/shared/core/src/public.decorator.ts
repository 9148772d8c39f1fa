import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'netdesk:public';

/** Marks a controller or route as open to anyone: no token needed. Everything else needs one. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
