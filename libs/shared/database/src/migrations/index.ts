import { Foundation1795458971852 } from './1795458971852-Foundation';
import { Measurements1795460008361 } from './1795460008361-Measurements';
import { Polling1795460131666 } from './1795460131666-Polling';
import { Ticketing1795461180974 } from './1795461180974-Ticketing';
import { Reports1795462561462 } from './1795462561462-Reports';
import { TicketAcknowledgedBy1795470000000 } from './1795470000000-TicketAcknowledgedBy';
import { TokenVersion1796185911323 } from './1796185911323-TokenVersion';
import { PeoplesRequests1796187192752 } from './1796187192752-PeoplesRequests';
import { KnowledgeBase1796188190463 } from './1796188190463-KnowledgeBase';
import { WanThresholds1796200000000 } from './1796200000000-WanThresholds';
import { ScaleOut1796200000001 } from './1796200000001-ScaleOut';
import { InterfaceDailySummaries1796300000000 } from './1796300000000-InterfaceDailySummaries';
import { PackedInterfaceSamples1796400000000 } from './1796400000000-PackedInterfaceSamples';
import { PollerRegistry1796450000000 } from './1796450000000-PollerRegistry';
import { InterfaceDailyChartArrays1796471000000 } from './1796471000000-InterfaceDailyChartArrays';

/** Every committed migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [
  Foundation1795458971852,
  Measurements1795460008361,
  Polling1795460131666,
  Ticketing1795461180974,
  Reports1795462561462,
  TicketAcknowledgedBy1795470000000,
  TokenVersion1796185911323,
  PeoplesRequests1796187192752,
  KnowledgeBase1796188190463,
  WanThresholds1796200000000,
  ScaleOut1796200000001,
  InterfaceDailySummaries1796300000000,
  PackedInterfaceSamples1796400000000,
  PollerRegistry1796450000000,
  InterfaceDailyChartArrays1796471000000,
];
