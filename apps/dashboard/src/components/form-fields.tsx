/** The form toolkit's controls (see forms.tsx): each labelled, with its hint and errors tied by ARIA. */
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { FormState } from './forms';

interface FieldBase<T extends object, K extends keyof T> {
  form: FormState<T>;
  name: K & string;
  label: string;
  hint?: ComponentChildren;
  required?: boolean;
  disabled?: boolean;
  class?: string;
}

/** The label/hint/error frame every control shares; returns ids for the control's ARIA attributes. */
function useField<T extends object>(form: FormState<T>, name: string) {
  const id = `f${useId()}`;
  form.fieldNames.add(name);
  const errors = form.errors[name];
  return {
    id,
    errorId: `${id}-err`,
    hintId: `${id}-hint`,
    errors,
    invalid: !!errors?.length,
  };
}

function describedBy(f: ReturnType<typeof useField>, hint: unknown): string | undefined {
  return [f.invalid ? f.errorId : '', hint ? f.hintId : ''].filter(Boolean).join(' ') || undefined;
}

/** The id and ARIA attributes that tie a control to its label, hint and error. */
function controlAria(f: ReturnType<typeof useField>, hint: unknown): ControlAria {
  return { id: f.id, 'aria-invalid': f.invalid ? 'true' : undefined, 'aria-describedby': describedBy(f, hint) };
}

/** What a text-like control shares: name, required, disabled, ARIA, and an `onInput` that stores its text. */
function textControl<T extends object, K extends keyof T>(props: FieldBase<T, K>, f: ReturnType<typeof useField>) {
  return {
    ...controlAria(f, props.hint),
    name: props.name,
    required: props.required,
    disabled: props.disabled,
    onInput: (e: { currentTarget: { value: string } }) => props.form.set(props.name, e.currentTarget.value as T[K]),
  };
}

/** The hint and the error messages under a control. */
function FieldNotes({ f, hint }: { f: ReturnType<typeof useField>; hint?: ComponentChildren }) {
  return (
    <>
      {hint && (
        <span class="hint" id={f.hintId}>
          {hint}
        </span>
      )}
      {f.invalid && (
        <span class="field-error" id={f.errorId}>
          {f.errors!.join('; ')}
        </span>
      )}
    </>
  );
}

/** A select's options, given as `{ value, label }` or as plain strings (value and label alike). */
function OptionList({ options }: { options: readonly (Option | string)[] }) {
  return (
    <>
      {options.map((o) => {
        const opt = typeof o === 'string' ? { value: o, label: o } : o;
        return (
          <option key={opt.value} value={opt.value}>
            {opt.label}
          </option>
        );
      })}
    </>
  );
}

function FieldFrame(props: {
  f: ReturnType<typeof useField>;
  label: string;
  hint?: ComponentChildren;
  required?: boolean;
  class?: string;
  children: ComponentChildren;
}) {
  const { f } = props;
  return (
    <div class={`field ${f.invalid ? 'invalid' : ''} ${props.class ?? ''}`}>
      {/* the required mark sits outside the label, so the label's text is exactly `label` (getByLabel exact) */}
      <span class="field-head">
        <label for={f.id}>{props.label}</label>
        {props.required && (
          <span class="req" aria-hidden="true">
            *
          </span>
        )}
      </span>
      {props.children}
      <FieldNotes f={f} hint={props.hint} />
    </div>
  );
}

export function TextField<T extends object, K extends keyof T>(
  props: FieldBase<T, K> & {
    type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'datetime-local' | 'time';
    placeholder?: string;
    autocomplete?: string;
    autofocus?: boolean;
  },
) {
  const f = useField(props.form, props.name);
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      <input
        {...textControl(props, f)}
        type={(props.type ?? 'text') as 'text'}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete}
        autofocus={props.autofocus}
        value={(props.form.values[props.name] as unknown as string) ?? ''}
      />
    </FieldFrame>
  );
}

/** A number kept as the text typed (so "abc" or "" is not lost); convert with `toNumber` when saving. */
export function NumberField<T extends object, K extends keyof T>(
  props: FieldBase<T, K> & { min?: number; max?: number; step?: number },
) {
  const f = useField(props.form, props.name);
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      <input
        {...textControl(props, f)}
        type="text"
        inputMode="numeric"
        value={String(props.form.values[props.name] ?? '')}
      />
    </FieldFrame>
  );
}

/** "" → undefined, "12" → 12, anything else → NaN (so the API names the field). */
export function toNumber(text: string | number | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  const s = String(text).trim();
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField<T extends object, K extends keyof T>(
  props: FieldBase<T, K> & { options: readonly (Option | string)[]; placeholder?: string },
) {
  const f = useField(props.form, props.name);
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      <select
        {...controlAria(f, props.hint)}
        name={props.name}
        value={(props.form.values[props.name] as unknown as string) ?? ''}
        required={props.required}
        disabled={props.disabled}
        onChange={(e) => props.form.set(props.name, e.currentTarget.value as T[K])}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        <OptionList options={props.options} />
      </select>
    </FieldFrame>
  );
}

export function CheckboxField<T extends object, K extends keyof T>(props: FieldBase<T, K>) {
  const f = useField(props.form, props.name);
  return (
    <div class={`field checkbox ${f.invalid ? 'invalid' : ''} ${props.class ?? ''}`}>
      <label for={f.id}>
        <input
          {...controlAria(f, props.hint)}
          name={props.name}
          type="checkbox"
          checked={!!props.form.values[props.name]}
          disabled={props.disabled}
          onChange={(e) => props.form.set(props.name, e.currentTarget.checked as T[K])}
        />{' '}
        {props.label}
      </label>
      <FieldNotes f={f} hint={props.hint} />
    </div>
  );
}

export function TextareaField<T extends object, K extends keyof T>(props: FieldBase<T, K> & { rows?: number }) {
  const f = useField(props.form, props.name);
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      <textarea
        {...textControl(props, f)}
        rows={props.rows ?? 4}
        value={(props.form.values[props.name] as unknown as string) ?? ''}
      />
    </FieldFrame>
  );
}

/**
 * A list of short strings (tags, e-mail targets): type and press Enter or comma to add; each chip has a
 * "Remove …" button. What is still in the box when the form is saved is added too (`pendingTag`).
 */
export function TagListField<T extends object, K extends keyof T>(props: FieldBase<T, K> & { placeholder?: string }) {
  const f = useField(props.form, props.name);
  const [text, setText] = useState('');
  const tags = (props.form.values[props.name] as unknown as string[]) ?? [];
  const add = (raw: string) => {
    const parts = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !tags.includes(s));
    if (parts.length) props.form.set(props.name, [...tags, ...parts] as T[K]);
    setText('');
  };
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      <div class="tag-list">
        {tags.map((t) => (
          <span class="tag-chip" key={t}>
            {t}
            <button
              type="button"
              class="link"
              aria-label={`Remove ${props.label.toLowerCase()} ${t}`}
              onClick={() => props.form.set(props.name, tags.filter((x) => x !== t) as T[K])}
            >
              ×
            </button>
          </span>
        ))}
        <input
          {...controlAria(f, props.hint)}
          name={props.name}
          type="text"
          value={text}
          placeholder={props.placeholder ?? 'type, then Enter'}
          disabled={props.disabled}
          onInput={(e) => {
            const v = e.currentTarget.value;
            if (v.includes(',')) add(v);
            else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add(text);
            } else if (e.key === 'Backspace' && text === '' && tags.length) {
              props.form.set(props.name, tags.slice(0, -1) as T[K]);
            }
          }}
          onBlur={() => text.trim() && add(text)}
        />
      </div>
    </FieldFrame>
  );
}

/**
 * A control whose value lives outside `form.values` (a row of a list, such as an escalation step), named by
 * its API path (`steps.1.delaySeconds`) so the API's message for that path shows under it. With `options`
 * it is a select, else a text input.
 */
export function PathField<T extends object>(props: {
  form: FormState<T>;
  name: string;
  label: string;
  value: string;
  onInput(value: string): void;
  options?: readonly (Option | string)[];
  hint?: ComponentChildren;
  required?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'url';
  class?: string;
}) {
  const f = useField(props.form, props.name);
  const onInput = (v: string) => {
    props.onInput(v);
    if (f.invalid) {
      const rest = { ...props.form.errors };
      delete rest[props.name];
      props.form.setErrors(rest, props.form.general);
    }
  };
  const common = { ...controlAria(f, props.hint), name: props.name, required: props.required };
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      {props.options ? (
        <select {...common} value={props.value} onChange={(e) => onInput(e.currentTarget.value)}>
          <OptionList options={props.options} />
        </select>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={props.inputMode}
          placeholder={props.placeholder}
          value={props.value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      )}
    </FieldFrame>
  );
}

/** The attributes a custom control needs to be labelled and to carry its error. */
export interface ControlAria {
  id: string;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A field with a control of your own (a picker, a combobox): the same label, hint and error frame as
 * the others; spread the given `aria` onto the control that the label names.
 */
export function CustomField<T extends object, K extends keyof T>(
  props: FieldBase<T, K> & { children: (aria: ControlAria) => ComponentChildren },
) {
  const f = useField(props.form, props.name);
  const aria = controlAria(f, props.hint);
  return (
    <FieldFrame f={f} label={props.label} hint={props.hint} required={props.required} class={props.class}>
      {props.children(aria)}
    </FieldFrame>
  );
}

/** A labelled group of fields (e.g. the SNMP settings). */
export function Fieldset(props: { legend: string; children: ComponentChildren; class?: string }) {
  return (
    <fieldset class={`nd-fieldset ${props.class ?? ''}`}>
      <legend>{props.legend}</legend>
      {props.children}
    </fieldset>
  );
}
