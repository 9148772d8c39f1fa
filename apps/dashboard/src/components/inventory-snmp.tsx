/** The SNMP credential fields the device form and the discovery form share. */
import type { ComponentChildren } from 'preact';
import { SelectField, TextField } from './forms';
import type { FormState } from './forms';

/** The form values the SNMP fields edit (flat keys, as the API's error paths name them). */
export interface SnmpValues {
  'snmp.version': string;
  'snmp.community': string;
  'snmp.username': string;
  'snmp.authProtocol': string;
  'snmp.authKey': string;
  'snmp.privProtocol': string;
  'snmp.privKey': string;
}

/**
 * The version picker (with `port` beside it once a version is chosen), then the community for v1/v2c
 * or the user and keys for v3. `keyHint` shows under both keys.
 */
export function SnmpFields<T extends SnmpValues>(props: {
  form: FormState<T>;
  port: ComponentChildren;
  keyHint?: string;
}) {
  const { form, keyHint } = props;
  const version = form.values['snmp.version'];
  return (
    <>
      <div class="row">
        <SelectField
          form={form}
          name="snmp.version"
          label="SNMP version"
          options={[
            { value: '', label: 'None (ping only)' },
            { value: '1', label: 'v1' },
            { value: '2c', label: 'v2c' },
            { value: '3', label: 'v3' },
          ]}
        />
        {version && props.port}
      </div>
      {(version === '1' || version === '2c') && (
        <TextField
          form={form}
          name="snmp.community"
          label="Community"
          type="password"
          autocomplete="new-password"
          required
        />
      )}
      {version === '3' && (
        <>
          <TextField form={form} name="snmp.username" label="SNMPv3 user name" required />
          <div class="row">
            <SelectField
              form={form}
              name="snmp.authProtocol"
              label="Authentication protocol"
              placeholder="None"
              options={['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']}
            />
            <TextField
              form={form}
              name="snmp.authKey"
              label="Authentication key"
              type="password"
              autocomplete="new-password"
              hint={keyHint}
            />
          </div>
          <div class="row">
            <SelectField
              form={form}
              name="snmp.privProtocol"
              label="Privacy protocol"
              placeholder="None"
              options={['des', 'aes', 'aes256b', 'aes256r']}
            />
            <TextField
              form={form}
              name="snmp.privKey"
              label="Privacy key"
              type="password"
              autocomplete="new-password"
              hint={keyHint}
            />
          </div>
        </>
      )}
    </>
  );
}
