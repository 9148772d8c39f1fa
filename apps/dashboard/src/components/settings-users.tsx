import { get, patch, post, session } from '../api';
import { useAsync } from '../hooks';
import { CheckboxField, Form, SelectField, TextField, useForm } from './forms';
import { ActionsHeader, CancelButton, EditDeleteButtons, SettingsHead, useEditor } from './crud';
import { ErrorAlert } from './page-state';
import { EditorPanel, StatusNote, TEAM_HINT } from './settings';

export interface ManagedUser {
  id: string;
  email: string;
  role: 'viewer' | 'agent' | 'manager' | 'admin';
  name: string | null;
  team: string | null;
  disabled: boolean;
  createdAt: string;
}

const ROLES = [
  { value: 'viewer', label: 'viewer: reads status' },
  { value: 'agent', label: 'agent: works tickets' },
  { value: 'manager', label: 'manager: reports and policies' },
  { value: 'admin', label: 'admin: everything, users, inventory' },
];

export function UserSettings() {
  const users = useAsync(() => get<ManagedUser[]>('/api/users'), []);
  const { editing, setEditing, note, setNote } = useEditor<ManagedUser>();
  const me = session.user();

  const toggle = async (u: ManagedUser) => {
    try {
      await patch(`/api/users/${u.id}`, { disabled: !u.disabled });
      setNote(u.disabled ? `Enabled ${u.email}.` : `Disabled ${u.email}: they can no longer sign in.`);
      users.reload();
    } catch (e) {
      setNote(`Could not change ${u.email}: ${(e as Error).message}`);
    }
  };

  return (
    <>
      <SettingsHead
        title="Users"
        intro="Who can sign in, with which role, in which team."
        addLabel="Add user"
        showAdd={editing === null}
        onAdd={() => setEditing('new')}
      />
      <StatusNote text={note} />
      {editing === 'new' && (
        <NewUser
          onClose={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            setNote(`Added ${u.email} (${u.role}).`);
            users.reload();
          }}
        />
      )}
      {editing !== null && editing !== 'new' && (
        <EditUser
          key={editing.id}
          user={editing}
          self={editing.id === me?.id}
          onClose={() => setEditing(null)}
          onSaved={(u, what) => {
            setNote(what);
            if (what.startsWith('Saved')) setEditing(null);
            else setEditing(u);
            users.reload();
          }}
        />
      )}
      <ErrorAlert error={users.error} />
      {users.data && (
        <table class="settings-table" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Team</th>
              <th scope="col">State</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id} data-user={u.id}>
                <td data-label="Email">{u.email}</td>
                <td data-label="Name">{u.name ?? '—'}</td>
                <td data-label="Role">{u.role}</td>
                <td data-label="Team">{u.team ?? '—'}</td>
                <td data-label="State">{u.disabled ? <span class="state-off">disabled</span> : 'active'}</td>
                <td class="row-actions">
                  <EditDeleteButtons what={`user ${u.email}`} onEdit={() => setEditing(u)} />
                  {u.id !== me?.id && (
                    <button
                      type="button"
                      class={u.disabled ? '' : 'danger'}
                      onClick={() => void toggle(u)}
                      aria-label={`${u.disabled ? 'Enable' : 'Disable'} user ${u.email}`}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface NewUserForm {
  email: string;
  name: string;
  password: string;
  role: string;
  team: string;
}

function NewUser(props: { onClose: () => void; onSaved: (u: ManagedUser) => void }) {
  const form = useForm<NewUserForm>({ email: '', name: '', password: '', role: 'agent', team: '' });
  const save = async (v: NewUserForm) => {
    const u = await post<ManagedUser>('/api/users', {
      email: v.email.trim(),
      password: v.password,
      role: v.role,
      ...(v.name.trim() && { name: v.name.trim() }),
      ...(v.team.trim() && { team: v.team.trim() }),
    });
    props.onSaved(u);
  };
  return (
    <EditorPanel title="New user" onClose={props.onClose}>
      <Form
        form={form}
        onSubmit={save}
        submitLabel="Add user"
        unmatched="email"
        aria-label="New user"
        actions={<CancelButton onClick={props.onClose} />}
      >
        <div class="row">
          <TextField form={form} name="email" label="Email" type="email" required autocomplete="off" />
          <TextField form={form} name="name" label="Name" />
        </div>
        <div class="row">
          <TextField
            form={form}
            name="password"
            label="Password"
            type="password"
            required
            autocomplete="new-password"
            hint="at least 8 characters; give it to them in person"
          />
          <SelectField form={form} name="role" label="Role" options={ROLES} />
          <TextField form={form} name="team" label="Team" hint={`optional; ${TEAM_HINT}`} />
        </div>
      </Form>
    </EditorPanel>
  );
}

interface EditUserForm {
  name: string;
  role: string;
  team: string;
  disabled: boolean;
}

function EditUser(props: {
  user: ManagedUser;
  self: boolean;
  onClose: () => void;
  onSaved: (u: ManagedUser, what: string) => void;
}) {
  const u = props.user;
  const form = useForm<EditUserForm>({ name: u.name ?? '', role: u.role, team: u.team ?? '', disabled: u.disabled });
  const pw = useForm<{ password: string }>({ password: '' });
  const save = async (v: EditUserForm) => {
    const saved = await patch<ManagedUser>(`/api/users/${u.id}`, {
      name: v.name.trim() || null,
      role: v.role,
      team: v.team.trim() || null,
      disabled: v.disabled,
    });
    props.onSaved(saved, `Saved ${saved.email}.`);
  };
  const reset = async (v: { password: string }) => {
    const saved = await patch<ManagedUser>(`/api/users/${u.id}`, { password: v.password });
    pw.reset({ password: '' });
    props.onSaved(saved, `Password of ${saved.email} changed.`);
  };
  return (
    <EditorPanel title={`Edit user ${u.email}`} onClose={props.onClose}>
      <Form
        form={form}
        onSubmit={save}
        submitLabel="Save user"
        aria-label="User"
        actions={<CancelButton onClick={props.onClose} />}
      >
        <div class="row">
          <TextField form={form} name="name" label="Name" />
          <SelectField
            form={form}
            name="role"
            label="Role"
            options={ROLES}
            hint={props.self ? 'You cannot lower your own role.' : undefined}
          />
          <TextField form={form} name="team" label="Team" hint={`optional; ${TEAM_HINT}`} />
        </div>
        <CheckboxField
          form={form}
          name="disabled"
          label="Disabled (cannot sign in or use the API)"
          disabled={props.self}
        />
      </Form>
      <h3>Reset password</h3>
      <Form form={pw} onSubmit={reset} submitLabel="Set new password" aria-label="Reset password">
        <TextField
          form={pw}
          name="password"
          label="New password"
          type="password"
          required
          autocomplete="new-password"
          hint="at least 8 characters"
        />
      </Form>
    </EditorPanel>
  );
}
