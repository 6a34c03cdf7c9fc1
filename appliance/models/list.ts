// The `list` table: one row per manifest model with its install state.
import type { ModelEntry } from './manifest.js';
import type { ModelState } from './file-state.js';

export function formatSize(model: ModelEntry): string {
  const known = model.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const unknown = model.files.some((f) => f.size === null);
  if (known === 0 && unknown) return '?';
  const text = known >= 1e9 ? `${(known / 1e9).toFixed(2)} GB` : `${(known / 1e6).toFixed(1)} MB`;
  return unknown ? `${text}+?` : text;
}

export function formatList(rows: readonly { model: ModelEntry; state: ModelState }[]): string {
  const table = [
    ['NAME', 'ROLE', 'SIZE', 'DEFAULT', 'STATE', 'LICENCE'],
    ...rows.map(({ model, state }) => [model.name, model.role, formatSize(model), model.default ? 'yes' : '', state, model.licence]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  return table
    .map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd())
    .join('\n');
}
