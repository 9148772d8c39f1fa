import { get, patch, post } from '../api';
import { useAsync } from '../hooks';
import { CheckboxField, Fieldset, Form, NumberField, PathField, TextField, toNumber, useForm } from './forms';
import type { FormState } from './forms';
import { ActionsHeader, CancelButton, EditDeleteButtons, SettingsHead, confirmDelete, useEditor } from './crud';
import { ErrorAlert } from './page-state';
import { EditorPanel, StatusNote, TEAM_HINT } from './settings';

export interface EscalationStep {
  delaySeconds: number;
  notify?: string[];
  team?: string;
}

export interface EscalationPolicy {
  id: string;
  name: string;
  steps: EscalationStep[];
  repeat: boolean;
  maxRepeats: number;
  isDefault: boolean;
}

/** A step as typed: numbers and lists stay text until saved, so nothing typed is lost on an error. */
interface StepDraft {
  key: number;
  delaySeconds: string;
  notify: string;
  team: string;
}

interface PolicyForm {
  name: string;
  repeat: boolean;
  maxRepeats: string;
  isDefault: boolean;
  steps: StepDraft[];
}

let nextKey = 1;
const draftOf = (s?: EscalationStep): StepDraft => ({
  key: nextKey++,
  delaySeconds: s ? String(s.delaySeconds) : '',
  notify: (s?.notify ?? []).join(', '),
  team: s?.team ?? '',
});

const formOf = (p: EscalationPolicy | null): PolicyForm =>
  p
    ? {
        name: p.name,
        repeat: p.repeat,
        maxRepeats: String(p.maxRepeats),
        isDefault: p.isDefault,
        steps: p.steps.map(draftOf),
      }
    : { name: '', repeat: false, maxRepeats: '3', isDefault: false, steps: [draftOf({ delaySeconds: 0 })] };

function bodyOf(v: PolicyForm) {
  return {
    name: v.name,
    repeat: v.repeat,
    maxRepeats: toNumber(v.maxRepeats) ?? v.maxRepeats,
    isDefault: v.isDefault || undefined,
    steps: v.steps.map((s) => ({
      delaySeconds: toNumber(s.delaySeconds) ?? s.delaySeconds,
      ...(s.notify.trim() && { notify: s.notify.split(/\s*,\s*|\s+/).filter(Boolean) }),
      ...(s.team.trim() && { team: s.team.trim() }),
    })),
  };
}

export function describeDelay(sec: number): string {
  if (sec === 0) return 'at once';
  if (sec % 3600 === 0) return `after ${sec / 3600} h`;
  if (sec % 60 === 0) return `after ${sec / 60} min`;
  return `after ${sec} s`;
}

function describeStep(s: EscalationStep): string {
  const parts = [describeDelay(s.delaySeconds)];
  if (s.notify?.length)
    parts.push(
      `notify ${s.notify.map((t) => t.replace(/^(webhook|slack):(https?:\/\/[^/]+).*/, '$1:$2…')).join(', ')}`,
    );
  if (s.team) parts.push(`hand to ${s.team}`);
  return parts.join(', ');
}

export function EscalationSettings() {
  const policies = useAsync(() => get<EscalationPolicy[]>('/api/escalation-policies'), []);
  const { editing, setEditing, note, setNote } = useEditor<EscalationPolicy>();

  const remove = (p: EscalationPolicy) =>
    confirmDelete({
      question: `Delete the escalation policy "${p.name}"?`,
      url: `/api/escalation-policies/${p.id}`,
      done: `Deleted policy "${p.name}".`,
      failed: `Could not delete "${p.name}"`,
      setNote,
      reload: policies.reload,
    });

  return (
    <>
      <SettingsHead
        title="Escalation policies"
        intro="An automatic ticket nobody acknowledges moves through its policy's steps, each counted from when it opened."
        addLabel="Add policy"
        showAdd={editing === null}
        onAdd={() => setEditing('new')}
      />
      <StatusNote text={note} />
      {editing !== null && (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          policy={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(p, created) => {
            setEditing(null);
            setNote(created ? `Added policy "${p.name}".` : `Saved policy "${p.name}".`);
            policies.reload();
          }}
        />
      )}
      <ErrorAlert error={policies.error} />
      {policies.data && (
        <table class="settings-table" aria-label="Escalation policies">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Steps</th>
              <th scope="col">Repeat</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {policies.data.map((p) => (
              <tr key={p.id} data-policy={p.id}>
                <td data-label="Name">
                  {p.name} {p.isDefault && <span class="badge">default</span>}
                </td>
                <td data-label="Steps">
                  <ol class="compact">
                    {p.steps.map((s, i) => (
                      <li key={i}>{describeStep(s)}</li>
                    ))}
                  </ol>
                </td>
                <td data-label="Repeat">{p.repeat ? `up to ${p.maxRepeats}×` : 'no'}</td>
                <td class="row-actions">
                  <EditDeleteButtons
                    what={`policy ${p.name}`}
                    onEdit={() => setEditing(p)}
                    onDelete={p.isDefault ? undefined : () => void remove(p)}
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

function PolicyEditor(props: {
  policy: EscalationPolicy | null;
  onClose: () => void;
  onSaved: (p: EscalationPolicy, created: boolean) => void;
}) {
  const form = useForm<PolicyForm>(() => formOf(props.policy));
  const save = async (v: PolicyForm) => {
    const saved = props.policy
      ? await patch<EscalationPolicy>(`/api/escalation-policies/${props.policy.id}`, bodyOf(v))
      : await post<EscalationPolicy>('/api/escalation-policies', bodyOf(v));
    props.onSaved(saved, !props.policy);
  };
  return (
    <EditorPanel
      title={props.policy ? `Edit policy ${props.policy.name}` : 'New escalation policy'}
      onClose={props.onClose}
    >
      <Form
        form={form}
        onSubmit={save}
        submitLabel="Save policy"
        aria-label="Escalation policy"
        actions={<CancelButton onClick={props.onClose} />}
      >
        <TextField form={form} name="name" label="Name" required placeholder="e.g. Core network" />
        <StepsEditor form={form} />
        <div class="row">
          <CheckboxField form={form} name="repeat" label="Repeat the steps while nobody acknowledges" />
          {form.values.repeat && <NumberField form={form} name="maxRepeats" label="Repeat at most (times)" />}
        </div>
        <CheckboxField
          form={form}
          name="isDefault"
          label="Default policy (for devices that name none)"
          disabled={props.policy?.isDefault}
          hint={props.policy?.isDefault ? 'To change the default, make another policy the default.' : undefined}
        />
      </Form>
    </EditorPanel>
  );
}

function StepsEditor({ form }: { form: FormState<PolicyForm> }) {
  const steps = form.values.steps;
  form.fieldNames.add('steps');
  const setSteps = (next: StepDraft[], clearErrors = false) => {
    form.set('steps', next);
    if (clearErrors) form.setErrors({}, form.general);
  };
  const update = (i: number, patchStep: Partial<StepDraft>) =>
    setSteps(steps.map((s, j) => (j === i ? { ...s, ...patchStep } : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next, true); // messages name steps by position: they no longer fit
    requestAnimationFrame(() =>
      document
        .getElementById(`step-${next[i + by].key}`)
        ?.querySelector<HTMLButtonElement>(`[data-move="${by}"]`)
        ?.focus(),
    );
  };
  const remove = (i: number) => {
    setSteps(
      steps.filter((_, j) => j !== i),
      true,
    );
    requestAnimationFrame(() => document.getElementById('add-step')?.focus());
  };
  const add = () => {
    const last = toNumber(steps[steps.length - 1]?.delaySeconds);
    const d = draftOf({ delaySeconds: last !== undefined && !Number.isNaN(last) ? last + 900 : 0 });
    setSteps([...steps, d]);
    requestAnimationFrame(() => document.getElementById(`step-${d.key}`)?.querySelector('input')?.focus());
  };
  const stepErrors = form.errors.steps;
  return (
    <Fieldset legend="Steps">
      {stepErrors?.length ? (
        <p class="field-error" role="alert">
          {stepErrors.join('; ')}
        </p>
      ) : null}
      <ol class="steps-list">
        {steps.map((s, i) => (
          <li class="step" key={s.key} id={`step-${s.key}`}>
            <div class="step-head">
              <h3>Step {i + 1}</h3>
              <div class="step-buttons">
                <button
                  type="button"
                  data-move="-1"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`Move step ${i + 1} up`}
                >
                  ↑ Up
                </button>
                <button
                  type="button"
                  data-move="1"
                  disabled={i === steps.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move step ${i + 1} down`}
                >
                  ↓ Down
                </button>
                <button
                  type="button"
                  class="danger"
                  disabled={steps.length === 1}
                  onClick={() => remove(i)}
                  aria-label={`Remove step ${i + 1}`}
                >
                  Remove
                </button>
              </div>
            </div>
            <div class="row">
              <PathField
                form={form}
                name={`steps.${i}.delaySeconds`}
                label={`Step ${i + 1} delay (seconds after opening)`}
                inputMode="numeric"
                value={s.delaySeconds}
                onInput={(x) => update(i, { delaySeconds: x })}
                required
              />
              <PathField
                form={form}
                name={`steps.${i}.team`}
                label={`Step ${i + 1} hand over to team`}
                value={s.team}
                onInput={(x) => update(i, { team: x })}
                hint={`optional; ${TEAM_HINT}`}
              />
            </div>
            <PathField
              form={form}
              name={`steps.${i}.notify`}
              label={`Step ${i + 1} notify`}
              value={s.notify}
              onInput={(x) => update(i, { notify: x })}
              placeholder="email:noc@example.com, team:network"
              hint="comma-separated: email:address, webhook:https://…, slack:https://…, team:name, user:id"
            />
          </li>
        ))}
      </ol>
      <div>
        <button type="button" id="add-step" onClick={add}>
          Add step
        </button>
      </div>
    </Fieldset>
  );
}
