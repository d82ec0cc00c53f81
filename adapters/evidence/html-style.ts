/**
 * The report's whole style, inline: no font, script or image is fetched, so it reads the same offline, on an
 * air-gapped laptop and on paper. Rows are compact (a period's tables can run to many thousands of rows).
 */
export const evidenceHtmlStyle = `
:root { color-scheme: light; --text: #1f2328; --muted: #57606a; --line: #d0d7de; --band: #f6f8fa; --accent: #0969da; --bad: #cf222e; --good: #1a7f37; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: var(--text); background: #fff; }
body { margin: 0; font-size: 14px; line-height: 1.45; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; max-width: 80ch; }
a { color: var(--accent); }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; background: var(--band); padding: 0 3px; border-radius: 3px; }
.period { font-size: 17px; margin: 2px 0 10px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.how { background: var(--band); border-left: 4px solid var(--accent); padding: 8px 14px; margin-top: 16px; }
.how h2 { margin-top: 4px; border-bottom: 0; }
.how p { max-width: none; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid var(--line); }
thead th { background: var(--band); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.summary td:first-child { white-space: nowrap; font-weight: 600; }
.summary .evidenced { color: var(--muted); font-size: 13px; }
.summary tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
.records { font-size: 12px; line-height: 1.35; table-layout: fixed; }
.records td { overflow-wrap: anywhere; }
.records td { padding: 2px 5px; }
.records tbody tr:nth-child(even) { background: #fbfcfd; }
.records td.when { font-variant-numeric: tabular-nums; overflow-wrap: normal; }
.records .sub { color: var(--muted); }
.records .fact { display: inline; }
.records .fact b { font-weight: 600; color: var(--muted); }
.records .fact + .fact::before { content: " · "; color: var(--muted); }
.records td.facts-cell { overflow-wrap: anywhere; min-width: 16ch; }
.records td.empty { color: var(--muted); font-style: italic; }
.outcome { font-weight: 600; }
.records code { white-space: nowrap; }
.late, .missed { color: var(--bad); font-weight: 600; }
.ontime { color: var(--good); }
.warning { color: var(--bad); font-weight: 600; }
.control-meta { color: var(--muted); margin: 0 0 4px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; margin-top: 12px; }
figure { margin: 0; flex: 1 1 540px; max-width: 620px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
details { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; padding: 4px 10px; }
details summary { cursor: pointer; font-weight: 600; }
details pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 36em; overflow: auto; background: var(--band); padding: 8px; }
footer code { white-space: nowrap; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  section.control { break-before: page; }
  details pre { max-height: none; overflow: visible; }
  /* On paper the policies' text is printed, not folded away. */
  details::details-content { content-visibility: visible; }
  a { color: inherit; text-decoration: none; }
}
`;
