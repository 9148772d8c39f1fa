/**
 * How inventory checks a device's `escalationPolicyId` without knowing ticketing: ticketing provides
 * this (globally); without ticketing, any id is accepted.
 */
export abstract class EscalationPolicyLookup {
  abstract exists(id: string): Promise<boolean>;
}
