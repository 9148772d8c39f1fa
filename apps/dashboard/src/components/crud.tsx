import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { del } from '../api';
import { confirmAction } from './forms';
import { useFocusBackWhenClosed } from './settings';

/**
 * Pieces the list-and-editor screens (settings, inventory) share: which row the editor is open for,
 * the status line, the heading with its Add button, the load error, the Edit/Delete row buttons and
 * the confirmed delete.
 */

/** Which row the editor is open for ('new' for a new one) and the status line; focus returns when it closes. */
export function useEditor<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useFocusBackWhenClosed(editing !== null);
  return { editing, setEditing, note, setNote };
}

/** Asks first; then deletes at `url`, says so in the status line and reloads the list (or says why not). */
export async function confirmDelete(opts: {
  question: string;
  url: string;
  done: string;
  failed: string;
  setNote: (text: string) => void;
  reload: () => void;
}): Promise<void> {
  if (!confirmAction(opts.question)) return;
  try {
    await del(opts.url);
    opts.setNote(opts.done);
    opts.reload();
  } catch (e) {
    opts.setNote(`${opts.failed}: ${(e as Error).message}`);
  }
}

/** A settings screen's heading, its explanation and (while no editor is open) its Add button. */
export function SettingsHead(props: {
  title: string;
  intro: ComponentChildren;
  addLabel: string;
  showAdd: boolean;
  onAdd: () => void;
}) {
  return (
    <div class="settings-head">
      <div>
        <h2>{props.title}</h2>
        <p class="muted">{props.intro}</p>
      </div>
      {props.showAdd && (
        <button type="button" class="primary" onClick={props.onAdd}>
          {props.addLabel}
        </button>
      )}
    </div>
  );
}

/** The last header cell of a table whose rows end in buttons. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span class="sr-only">Actions</span>
    </th>
  );
}

/** A row's Edit button and, where `onDelete` is given, its Delete button; `what` names the row for screen readers. */
export function EditDeleteButtons(props: { what: string; onEdit: () => void; onDelete?: () => void }) {
  return (
    <>
      <button type="button" onClick={props.onEdit} aria-label={`Edit ${props.what}`}>
        Edit
      </button>
      {props.onDelete && (
        <button type="button" class="danger" onClick={props.onDelete} aria-label={`Delete ${props.what}`}>
          Delete
        </button>
      )}
    </>
  );
}

/** The Cancel button beside an editor form's submit button. */
export function CancelButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick}>
      Cancel
    </button>
  );
}
