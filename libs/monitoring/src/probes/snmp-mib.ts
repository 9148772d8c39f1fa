/** OIDs polled by {@link SnmpClient} (SNMPv2-MIB, IF-MIB, HOST-RESOURCES-MIB). */
export const SYSTEM_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
} as const;

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';

export const IF_COLUMNS = {
  ifDescr: `${IF_ENTRY}.2`,
  ifType: `${IF_ENTRY}.3`,
  ifSpeed: `${IF_ENTRY}.5`,
  ifAdminStatus: `${IF_ENTRY}.7`,
  ifOperStatus: `${IF_ENTRY}.8`,
  ifInOctets: `${IF_ENTRY}.10`,
  ifInDiscards: `${IF_ENTRY}.13`,
  ifInErrors: `${IF_ENTRY}.14`,
  ifOutOctets: `${IF_ENTRY}.16`,
  ifOutDiscards: `${IF_ENTRY}.19`,
  ifOutErrors: `${IF_ENTRY}.20`,
  ifName: `${IFX_ENTRY}.1`,
  ifHCInOctets: `${IFX_ENTRY}.6`,
  ifHCOutOctets: `${IFX_ENTRY}.10`,
  ifHighSpeed: `${IFX_ENTRY}.15`,
  ifAlias: `${IFX_ENTRY}.18`,
} as const;

const HR_STORAGE_ENTRY = '1.3.6.1.2.1.25.2.3.1';

export const HR_COLUMNS = {
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
  hrStorageType: `${HR_STORAGE_ENTRY}.2`,
  hrStorageDescr: `${HR_STORAGE_ENTRY}.3`,
  hrStorageAllocationUnits: `${HR_STORAGE_ENTRY}.4`,
  hrStorageSize: `${HR_STORAGE_ENTRY}.5`,
  hrStorageUsed: `${HR_STORAGE_ENTRY}.6`,
} as const;

export const HR_STORAGE_RAM = '1.3.6.1.2.1.25.2.1.2';
