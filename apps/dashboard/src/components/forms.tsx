/**
 * A small form toolkit for the settings screens.
 *
 * - Every control sits in a visible `<label>` (Playwright's `getByLabel` finds it), and its error is
 *   rendered right under it, tied by `aria-describedby`, with `aria-invalid` set.
 * - `useForm` keeps the values, the per-field errors and a list of general errors. Its `submit` runs
 *   an optional client check, then the save; on an `ApiError` it maps the API's messages to fields
 *   (`mapApiErrors`), and moves focus to the first invalid control. Values are never reset on an error.
 * - Field names are the API's property paths (`name`, `parentId`, `snmp.community`, `steps.0.delaySeconds`):
 *   Nest's 400 `message` entries start with the path they are about, which is how they find their field.
 *
 * Usage:
 *   const form = useForm({ name: '', location: '' });
 *   <Form form={form} onSubmit={(v) => post('/api/sites', v)} submitLabel="Add site">
 *     <TextField form={form} name="name" label="Name" required />
 *   </Form>
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type FieldErrors, mapApiErrors } from '../form-errors';
import '../forms.css';

export { mapApiErrors, messagePath } from '../form-errors';
export type { FieldErrors, MappedErrors } from '../form-errors';
export {
  CheckboxField,
  CustomField,
  Fieldset,
  NumberField,
  PathField,
  SelectField,
  TagListField,
  TextareaField,
  TextField,
  toNumber,
} from './form-fields';
export type { ControlAria, Option } from './form-fields';

export interface FormState<T extends object> {
  values: T;
  errors: FieldErrors;
  general: string[];
  busy: boolean;
  /** Sets one value and clears that field's error. */
  set<K extends keyof T>(name: K, value: T[K]): void;
  /** Changes values from the current ones (e.g. fill a default only if the user typed nothing yet). */
  update(change: (values: T) => T): void;
  /** Replaces the values (e.g. once an edited record has loaded). */
  reset(values: T): void;
  setErrors(errors: FieldErrors, general?: string[]): void;
  /** The names fields registered with (so API messages can find them). */
  fieldNames: Set<string>;
  formRef: { current: HTMLFormElement | null };
  focusFirstError(): void;
}

export function useForm<T extends object>(initial: T | (() => T)): FormState<T> {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrorsState] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const formRef = useRef<HTMLFormElement | null>(null);
  const fieldNames = useRef(new Set<string>()).current;

  useEffect(() => {
    if (!focusTick) return;
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.form-general');
    target?.focus();
  }, [focusTick]);

  const state: FormState<T> & { setBusy(b: boolean): void } = {
    values,
    errors,
    general,
    busy,
    fieldNames,
    formRef,
    set(name, value) {
      setValues((v) => ({ ...v, [name]: value }));
      setErrorsState((e) => {
        if (!e[name as string]) return e;
        const next = { ...e };
        delete next[name as string];
        return next;
      });
    },
    update(change) {
      setValues(change);
    },
    reset(v) {
      setValues(v);
      setErrorsState({});
      setGeneral([]);
    },
    setErrors(e, g = []) {
      setErrorsState(e);
      setGeneral(g);
    },
    focusFirstError() {
      setFocusTick((n) => n + 1);
    },
    setBusy,
  };
  return state;
}

export interface FormProps<T extends object> {
  form: FormState<T>;
  /** Saves; throw (an ApiError) to show messages. Values stay as typed whatever happens. */
  onSubmit(values: T): Promise<unknown>;
  /** Client-side checks run before saving: messages by field name. */
  validate?(values: T): FieldErrors;
  submitLabel: string;
  busyLabel?: string;
  /** A field that takes API messages naming no field. */
  unmatched?: string;
  /** Buttons after the submit button (Cancel, Delete…). */
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  'aria-label'?: string;
}

export function Form<T extends object>(props: FormProps<T>) {
  const { form } = props;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (form.busy) return;
    const local = props.validate?.(form.values) ?? {};
    if (Object.keys(local).length) {
      form.setErrors(local);
      form.focusFirstError();
      return;
    }
    (form as FormState<T> & { setBusy(b: boolean): void }).setBusy(true);
    form.setErrors({});
    try {
      await props.onSubmit(form.values);
    } catch (err) {
      const mapped = mapApiErrors(err, [...form.fieldNames], props.unmatched);
      form.setErrors(mapped.fields, mapped.general);
      form.focusFirstError();
    } finally {
      (form as FormState<T> & { setBusy(b: boolean): void }).setBusy(false);
    }
  };
  return (
    <form
      ref={(el) => {
        form.formRef.current = el;
      }}
      class={`nd-form ${props.class ?? ''}`}
      noValidate
      onSubmit={submit}
      aria-label={props['aria-label']}
    >
      {form.general.length > 0 && (
        <div class="form-general error" role="alert" tabIndex={-1}>
          {form.general.length === 1 ? (
            form.general[0]
          ) : (
            <ul>
              {form.general.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {props.children}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={form.busy}>
          {form.busy ? (props.busyLabel ?? 'Saving…') : props.submitLabel}
        </button>
        {props.actions}
      </div>
    </form>
  );
}

/** Asks before a destructive action; returns the user's answer. */
export function confirmAction(question: string): boolean {
  return window.confirm(question);
}
