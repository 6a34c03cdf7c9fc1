// The wizard's services step: start from the demo catalogue or empty, then the one catalogue
// editor (catalogue-editor.tsx) in its simpler frame.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { errorText } from '../lib/setup-model.js';
import { Notes, ServicesEditor } from './catalogue-editor.js';

export function ServicesStep({ reload }: { reload: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  // The editor reads the catalogue afresh after a new start.
  const [start, setStart] = useState(0);
  const from = async (which: 'demo' | 'empty') => {
    setError(null);
    try {
      await api('/api/setup/catalogue', { method: 'POST', body: { from: which } });
      setStatus(which === 'demo' ? 'The demo catalogue is loaded.' : 'The catalogue is empty.');
      setStart((n) => n + 1);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <>
      <p>Start from the demo catalogue (fourteen typical med-spa services with prices, three providers) and adjust it, or start empty.</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void from('demo')}>
          Use the demo catalogue
        </button>
        <button type="button" class="secondary" onClick={() => void from('empty')}>
          Start empty
        </button>
      </div>
      <Notes status={status} error={error} />
      <ServicesEditor key={start} frame="wizard" onChange={reload} />
    </>
  );
}
