import { useState } from 'preact/hooks';
import { get, patch, post } from '../api';
import { useAsync } from '../hooks';
import type { Site } from '../types';
import { Form, SelectField, TextField, useForm } from './forms';
import { ActionsHeader, CancelButton, EditDeleteButtons, SettingsHead, confirmDelete, useEditor } from './crud';
import { ErrorAlert } from './page-state';
import { EditorPanel, StatusNote, TEAM_HINT } from './settings';

export interface RoutingRule {
  id: string;
  position: number;
  siteId: string | null;
  tag: string | null;
  kind: string | null;
  team: string;
}

const KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'];

interface RuleForm {
  siteId: string;
  tag: string;
  kind: string;
  team: string;
}

export function RoutingSettings() {
  const rules = useAsync(() => get<RoutingRule[]>('/api/routing-rules'), []);
  const sites = useAsync(() => get<Site[]>('/api/sites'), []);
  const { editing, setEditing, note, setNote } = useEditor<RoutingRule>();
  const [moving, setMoving] = useState(false);
  const siteName = (id: string) => sites.data?.find((s) => s.id === id)?.name ?? id;

  const describe = (r: RoutingRule) => {
    const m = [r.siteId && `site ${siteName(r.siteId)}`, r.kind && `kind ${r.kind}`, r.tag && `tag ${r.tag}`].filter(
      Boolean,
    );
    return m.length ? m.join(' and ') : 'every device';
  };

  const move = async (r: RoutingRule, index: number, by: -1 | 1) => {
    setMoving(true);
    try {
      await patch(`/api/routing-rules/${r.id}`, { position: index + by });
      setNote(`Moved rule for team ${r.team} to position ${index + by + 1}.`);
      rules.reload();
      // keep the keyboard where it was: on the same button of the rule that moved
      const focus = (tries: number) =>
        setTimeout(() => {
          const row = document.querySelector(`tr[data-rule="${r.id}"]`);
          const btn =
            row?.querySelector<HTMLButtonElement>(`[data-move="${by}"]:not(:disabled)`) ??
            row?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
          if (row?.getAttribute('data-position') === String(index + by) && btn) btn.focus();
          else if (tries > 0) focus(tries - 1);
        }, 50);
      focus(40);
    } catch (e) {
      setNote(`Could not move the rule: ${(e as Error).message}`);
    } finally {
      setMoving(false);
    }
  };

  const remove = (r: RoutingRule) =>
    confirmDelete({
      question: `Delete the rule routing ${describe(r)} to team ${r.team}?`,
      url: `/api/routing-rules/${r.id}`,
      done: `Deleted the rule for team ${r.team}.`,
      failed: 'Could not delete the rule',
      setNote,
      reload: rules.reload,
    });

  const list = rules.data ?? [];
  return (
    <>
      <SettingsHead
        title="Routing rules"
        intro="A device's own team wins; otherwise the first rule that matches (top to bottom) picks the team its tickets go to."
        addLabel="Add rule"
        showAdd={editing === null}
        onAdd={() => setEditing('new')}
      />
      <StatusNote text={note} />
      {editing !== null && (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          sites={sites.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(r, created) => {
            setEditing(null);
            setNote(created ? `Added a rule for team ${r.team}.` : `Saved the rule for team ${r.team}.`);
            rules.reload();
          }}
        />
      )}
      <ErrorAlert error={rules.error} />
      {rules.data && list.length === 0 && (
        <p class="muted">No routing rules yet: tickets go to the device's team or the default team.</p>
      )}
      {list.length > 0 && (
        <table class="settings-table" aria-label="Routing rules, in order">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Devices matching</th>
              <th scope="col">Go to team</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {list.map((r, i) => (
              <tr key={r.id} data-rule={r.id} data-position={i}>
                <td data-label="Order">{i + 1}</td>
                <td data-label="Devices matching">{describe(r)}</td>
                <td data-label="Go to team">{r.team}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    data-move="-1"
                    disabled={i === 0 || moving}
                    onClick={() => void move(r, i, -1)}
                    aria-label={`Move rule ${i + 1} (team ${r.team}) up`}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    data-move="1"
                    disabled={i === list.length - 1 || moving}
                    onClick={() => void move(r, i, 1)}
                    aria-label={`Move rule ${i + 1} (team ${r.team}) down`}
                  >
                    ↓ Down
                  </button>
                  <EditDeleteButtons
                    what={`rule ${i + 1} (team ${r.team})`}
                    onEdit={() => setEditing(r)}
                    onDelete={() => void remove(r)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function RuleEditor(props: {
  rule: RoutingRule | null;
  sites: Site[];
  onClose: () => void;
  onSaved: (r: RoutingRule, created: boolean) => void;
}) {
  const r = props.rule;
  const form = useForm<RuleForm>({
    siteId: r?.siteId ?? '',
    tag: r?.tag ?? '',
    kind: r?.kind ?? '',
    team: r?.team ?? '',
  });
  const save = async (v: RuleForm) => {
    const edit = !!props.rule;
    const opt = (x: string) => (x.trim() ? x.trim() : edit ? null : undefined);
    const body = { siteId: opt(v.siteId), tag: opt(v.tag), kind: opt(v.kind), team: v.team.trim() };
    const saved = props.rule
      ? await patch<RoutingRule>(`/api/routing-rules/${props.rule.id}`, body)
      : await post<RoutingRule>('/api/routing-rules', body);
    props.onSaved(saved, !edit);
  };
  return (
    <EditorPanel title={r ? `Edit rule ${r.position + 1}` : 'New routing rule'} onClose={props.onClose}>
      <Form
        form={form}
        onSubmit={save}
        submitLabel={r ? 'Save rule' : 'Add rule'}
        aria-label="Routing rule"
        actions={<CancelButton onClick={props.onClose} />}
      >
        <p class="muted small">
          A rule matches devices that meet every condition given; leave a condition empty to match any.
        </p>
        <div class="row">
          <SelectField
            form={form}
            name="siteId"
            label="Site"
            placeholder="Any site"
            options={props.sites.map((s) => ({ value: s.id, label: s.name }))}
          />
          <SelectField form={form} name="kind" label="Device kind" placeholder="Any kind" options={KINDS} />
          <TextField form={form} name="tag" label="Tag" placeholder="e.g. dc1" hint="devices carrying this tag" />
        </div>
        <TextField form={form} name="team" label="Team" required placeholder="e.g. network" hint={TEAM_HINT} />
        {!r && <p class="muted small">New rules go to the end of the list; move them with Up and Down.</p>}
      </Form>
    </EditorPanel>
  );
}
