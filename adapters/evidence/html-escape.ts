const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for HTML, in an element's content or a quoted attribute: item names, notes and facts come from
 * importers and people's answers, so a `<script>` in a note must read as those characters, never run.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/** An `id` (and `#fragment`) made from any text: letters, digits, `-`, `_` and `.` only, so it needs no escaping. */
export function htmlId(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
