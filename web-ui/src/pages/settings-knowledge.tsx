// The knowledge base: what the receptionist may say about the spa, entry by entry, each with the
// questions callers ask in their own words. The receptionist answers from an entry on its next
// turn after a save (it refits its question classifier on the change).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { field } from '../forms.js';
import { useApi } from '../hooks.js';
import { errorText } from '../save-error.js';

interface Entry {
  id: string;
  topic: string;
  title: string;
  body: string;
  tags: string[];
  examples: string[];
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
const commas = (text: string): string[] => text.split(',').map((l) => l.trim()).filter((l) => l !== '');

export function KnowledgeSettings() {
  const list = useApi<{ knowledge: Entry[] }>('/api/knowledge');
  const [editing, setEditing] = useState<Entry | 'new' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  if (list.error) return <p class="error" role="alert">{list.error}</p>;
  if (!list.data) return <p role="status">Loading…</p>;
  const topics = [...new Set(list.data.knowledge.map((k) => k.topic))].sort();
  const done = (text: string) => {
    setEditing(null);
    setNote(text);
    list.reload();
  };
  return (
    <>
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      {editing ? (
        <EntryForm key={editing === 'new' ? 'new' : editing.id} entry={editing === 'new' ? null : editing} topics={topics} onDone={done} onCancel={() => setEditing(null)} />
      ) : (
        <div class="actions form-actions">
          <button type="button" onClick={() => { setEditing('new'); setNote(null); }}>
            Add an entry
          </button>
        </div>
      )}
      <section class="card flush" aria-labelledby="kb-title">
        <h2 id="kb-title" class="card-title">
          Entries ({list.data.knowledge.length})
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col" class="wide">Topic</th>
              <th scope="col" class="num">Example questions</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.knowledge.map((k) => (
              <tr key={k.id}>
                <td>{k.title}</td>
                <td class="wide">{k.topic}</td>
                <td class="num">{k.examples.length}</td>
                <td class="num">
                  <button type="button" class="secondary" aria-label={`Edit ${k.title}`} onClick={() => { setEditing(k); setNote(null); }}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function EntryForm({ entry, topics, onDone, onCancel }: { entry: Entry | null; topics: string[]; onDone: (note: string) => void; onCancel: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const body = { title: field(f, 'title').trim(), topic: field(f, 'topic').trim(), body: field(f, 'body').trim(), tags: commas(field(f, 'tags')), examples: lines(field(f, 'examples')) };
    try {
      if (entry) await api(`/api/knowledge/${encodeURIComponent(entry.id)}`, { method: 'PUT', body });
      else await api('/api/knowledge', { method: 'POST', body });
      onDone(`Saved "${body.title}". The receptionist answers from it from the next question on.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const remove = async () => {
    if (!entry) return;
    try {
      await api(`/api/knowledge/${encodeURIComponent(entry.id)}`, { method: 'DELETE' });
      onDone(`Deleted "${entry.title}".`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="card settings-form" onSubmit={(e) => void save(e)} aria-labelledby="entry-title">
      <h2 id="entry-title">{entry ? `Edit: ${entry.title}` : 'New knowledge entry'}</h2>
      <label for="k-title">Title</label>
      <input id="k-title" name="title" required minLength={2} maxLength={120} defaultValue={entry?.title ?? ''} />
      <label for="k-topic">Topic</label>
      <input id="k-topic" name="topic" required maxLength={60} list="k-topics" defaultValue={entry?.topic ?? ''} />
      <datalist id="k-topics">
        {topics.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <label for="k-body">Answer</label>
      <textarea id="k-body" name="body" required minLength={2} maxLength={2000} rows={4} defaultValue={entry?.body ?? ''} aria-describedby="k-body-hint" />
      <p id="k-body-hint" class="muted small">
        What the receptionist says, in full sentences. It says only this, never anything made up.
      </p>
      <label for="k-examples">Example questions, one a line</label>
      <textarea id="k-examples" name="examples" rows={5} defaultValue={(entry?.examples ?? []).join('\n')} aria-describedby="k-examples-hint" />
      <p id="k-examples-hint" class="muted small">
        How callers ask it, in their own words ("where do I park?"). More wordings answer more callers.
      </p>
      <label for="k-tags">Key words, separated by commas</label>
      <input id="k-tags" name="tags" maxLength={800} defaultValue={(entry?.tags ?? []).join(', ')} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions form-actions">
        <button type="submit">Save entry</button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
        {entry &&
          (confirmDelete ? (
            <button type="button" class="danger" onClick={() => void remove()}>
              Yes, delete it
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirmDelete(true)}>
              Delete entry
            </button>
          ))}
      </div>
    </form>
  );
}
