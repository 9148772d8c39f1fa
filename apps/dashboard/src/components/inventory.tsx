/**
 * The inventory screens (sites, devices, import, discovery) under /inventory. Changing the inventory
 * is for admins (the API answers 403 to anyone else); lower roles see the lists read-only.
 */
import type { JSX } from 'preact';
import { DeviceEditPage } from './inventory-device-edit';
import { DeviceListPage } from './inventory-devices';
import { DiscoveryPage } from './inventory-discovery';
import { ImportPage } from './inventory-import';
import { SitesPage } from './inventory-sites';

/** The page for an /inventory/… path (null for any other path); `admin` decides whether forms are offered. */
export function inventoryPage(path: string, admin: boolean): JSX.Element | null {
  let m: RegExpMatchArray | null;
  if (path === '/inventory' || path === '/inventory/' || path === '/inventory/devices')
    return <DeviceListPage admin={admin} />;
  if (path === '/inventory/devices/new') return <DeviceEditPage admin={admin} />;
  if ((m = path.match(/^\/inventory\/devices\/([0-9a-f-]{36})\/edit$/i)))
    return <DeviceEditPage admin={admin} id={m[1]} />;
  if (path === '/inventory/sites') return <SitesPage admin={admin} />;
  if (path === '/inventory/import') return <ImportPage admin={admin} />;
  if (path === '/inventory/discovery') return <DiscoveryPage admin={admin} />;
  return null;
}
