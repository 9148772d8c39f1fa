/**
 * Inventory's entity classes, for another context's entity that declares a foreign key to them (a relation
 * target) and for the database wiring. Nothing else imports this: other contexts read devices through
 * `DeviceDirectory` (ESLint `netdesk/lib-imports` and `netdesk/entity-crossing` enforce it).
 */
export { DeviceEntity } from './device.entity';
export { SiteEntity } from './site.entity';
