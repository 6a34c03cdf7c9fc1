// The staff web UI's script (a file, not inline: the Content-Security-Policy allows no inline script).
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const api = async (url, opts = {}) => {
  const res = await fetch(url, { ...opts, headers: { 'content-type': 'application/json', ...(opts.headers || {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error?.message || res.statusText), { status: res.status });
  return body;
};
const when = (iso) => new Date(iso).toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

async function health() {
  try {
    const h = await api('/api/health');
    $('health').textContent = `database ${h.db} · phone ${h.sip.listening ? 'on' : 'off'} · modem ${h.modem.state}`;
  } catch { $('health').textContent = 'appliance unreachable'; }
}

async function showApp() {
  const { user } = await api('/api/session');
  $('login').hidden = true; $('app').hidden = false;
  $('change-password').hidden = !user.mustChangePassword;
  // Until a one-time password is replaced the appliance answers nothing else.
  if (user.mustChangePassword) return;
  const { spa } = await api('/api/spa');
  $('spa-name').textContent = spa.name;
  const { services } = await api('/api/services');
  $('services').innerHTML = services.map((s) => `<tr><td>${esc(s.name)}</td><td>${s.durationMin}</td><td>${esc(s.priceText)}</td><td>${esc(s.providers.map((p) => p.name).join(', '))}</td></tr>`).join('');
  $('service-select').innerHTML = services.map((s) => `<option value="${esc(s.id)}">${esc(s.name)}</option>`).join('');
  const { alerts } = await api('/api/alerts');
  $('alerts').innerHTML = alerts.length === 0 ? '<li>Nothing waiting.</li>' :
    alerts.slice(0, 20).map((a) => `<li class="${a.kind === 'urgent' ? 'urgent' : ''}">${esc(when(a.createdAt))} · ${esc(a.kind)} · ${esc(a.name)} ${esc(a.phone)}: ${esc(a.text)}</li>`).join('');
  const { appointments } = await api('/api/appointments');
  $('appointments').innerHTML = appointments.length === 0 ? '<tr><td colspan="6" class="muted">No appointments in the next week.</td></tr>' :
    appointments.map((a) => `<tr><td>${esc(when(a.start))}</td><td>${esc(a.service.name)}</td><td>${esc(a.provider.name)}</td><td>${esc(a.client?.name)} <span class="muted">${esc(a.client?.phone)}</span></td><td><span class="pill">${esc(a.status)}</span></td><td>${esc(a.source)}</td></tr>`).join('');
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('/api/session', { method: 'POST', body: JSON.stringify({ username: f.get('username'), password: f.get('password') }) });
    $('login-error').textContent = '';
    await showApp();
  } catch (err) { $('login-error').textContent = err.message; }
});
$('password-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    await api('/api/session/password', { method: 'POST', body: JSON.stringify({ current: f.get('current'), next: f.get('next') }) });
    $('password-msg').textContent = 'Saved.'; $('change-password').hidden = true;
    await showApp();
  } catch (err) { $('password-msg').textContent = err.message; }
});
$('slots-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const q = new URLSearchParams({ service: f.get('service'), days: f.get('days') });
  if (f.get('from')) q.set('from', f.get('from'));
  try {
    const r = await api(`/api/availability?${q}`);
    $('slots').textContent = r.slots.length === 0 ? 'No free slots.' : r.slots.slice(0, 40).map((s) => `${when(s.start)} (${s.provider.name})`).join(' · ');
  } catch (err) { $('slots').textContent = err.message; }
});
let conversation = null;
$('chat-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const text = String(f.get('text') || '');
  const body = { text };
  if (conversation) body.conversation = conversation;
  if (f.get('from')) body.from = String(f.get('from'));
  $('chat-log').insertAdjacentHTML('beforeend', `<p class="me">${esc(text || '(silence)')}</p>`);
  e.target.elements.text.value = '';
  try {
    const r = await api('/api/agent/chat', { method: 'POST', body: JSON.stringify(body) });
    conversation = r.done ? null : r.conversation;
    $('chat-log').insertAdjacentHTML('beforeend', `<p class="bot">${esc(r.reply)}${r.done ? ' <span class="muted">(conversation ended)</span>' : ''}</p>`);
    await showApp();
  } catch (err) { $('chat-log').insertAdjacentHTML('beforeend', `<p class="err">${esc(err.message)}</p>`); }
});
$('chat-new').addEventListener('click', () => { conversation = null; $('chat-log').innerHTML = ''; });
$('logout').addEventListener('click', async () => { await api('/api/session', { method: 'DELETE' }); location.reload(); });

health();
setInterval(health, 15000);
showApp().catch(() => {});
