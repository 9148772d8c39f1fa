import * as dgram from 'node:dgram';
import * as snmp from 'net-snmp';

export type LoopbackAgent = { close(cb?: () => void): void };

/**
 * An in-process SNMP agent on 127.0.0.1 (a free UDP port) that answers `community` and says it is a
 * Cisco Catalyst called access-sw-7: a vendor sysObjectID to see end to end without the network lab.
 */
export async function startCiscoAgent(community: string): Promise<{ agent: LoopbackAgent; port: number }> {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
  const { port } = probe.address();
  await new Promise<void>((r) => probe.close(() => r()));
  const agent = snmp.createAgent({ port, address: '127.0.0.1', transport: 'udp4' }, () => undefined);
  agent.getAuthorizer().addCommunity(community);
  const mib = agent.getMib();
  const scalar = (name: string, oid: string, scalarType: number, value: unknown) => {
    mib.registerProvider({
      name,
      type: snmp.MibProviderType.Scalar,
      oid,
      scalarType,
      maxAccess: snmp.MaxAccess['read-only'],
    });
    mib.setScalarValue(name, value);
  };
  scalar('sysDescr', '1.3.6.1.2.1.1.1', snmp.ObjectType.OctetString, 'Cisco IOS Software, C2960X Software, 15.2(7)E');
  scalar('sysObjectID', '1.3.6.1.2.1.1.2', snmp.ObjectType.OID, '1.3.6.1.4.1.9.1.1208');
  scalar('sysUpTime', '1.3.6.1.2.1.1.3', snmp.ObjectType.TimeTicks, 4242);
  scalar('sysName', '1.3.6.1.2.1.1.5', snmp.ObjectType.OctetString, 'access-sw-7');
  return { agent, port };
}
