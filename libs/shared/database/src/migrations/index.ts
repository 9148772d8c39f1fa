import { Foundation1795458971852 } from './1795458971852-Foundation';

/** Every committed migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [Foundation1795458971852];
