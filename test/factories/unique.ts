let counter = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** A name no other test row has, so files and tests never collide. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${run}-${counter}`;
}

/** A documentation-range (RFC 5737) IPv4 address, unique within this process; never polled in these tests. */
export function uniqueHost(): string {
  counter += 1;
  return `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
}
