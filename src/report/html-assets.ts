/**
 * @module report/html-assets
 * The stylesheet of matrix.html, inlined into the page so it opens from disk with no network (the page's CSP
 * allows exactly this stylesheet and the script of html-script.ts, by hash).
 */
export { HTML_SCRIPT } from './html-script.ts';

/** Width of the detail drawer: the page keeps that much room free while it is open, so it covers no cell. */
export const DRAWER_WIDTH = 460;

export const HTML_STYLE = `
:root { --pass:#e6f4ea; --pass-ink:#1e7e34; --fail:#fde2e1; --fail-ink:#b00020; --error:#fff3cd; --error-ink:#7a5c00;
  --unsupported:#f1f3f4; --unsupported-ink:#5f6368; --skipped:#fafafa; --skipped-ink:#80868b; --line:#dadce0;
  --flaky:#f3e8fd; --flaky-ink:#6a1b9a; --inconclusive:#e8f0fe; --inconclusive-ink:#174ea6; --drawer:${DRAWER_WIDTH}px; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #202124; background: #fff; }
body.drawer-open { padding-right: var(--drawer); }
header { padding: 10px 16px 6px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 17px; margin: 0 0 4px; }
header p { margin: 2px 0; }
.gate { font-size: 15px; }
.gate-pass { color: var(--pass-ink); font-weight: 600; } .gate-fail, .gate-interrupted { color: var(--fail-ink); font-weight: 600; }
.problems { margin: 4px 0; padding-left: 18px; color: var(--fail-ink); }
.notes { margin: 4px 0; padding-left: 18px; }
details.run ul { margin: 4px 0; padding-left: 18px; }
.legend span { margin-right: 12px; white-space: nowrap; }
/* The list of what fails the gate keeps a readable width: the count tables wrap below it when the room is short
   (the drawer open, a narrow window), never take it. */
section#lead { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px; padding: 8px 16px; border-bottom: 1px solid var(--line); }
section#lead > div { flex: 0 1 auto; min-width: 0; max-width: 100%; }
section#lead > div:first-child { flex: 1 1 480px; }
section#lead h2 { font-size: 14px; margin: 0 0 4px; }
section#lead .box { max-height: 210px; overflow: auto; border: 1px solid var(--line); }
section#lead table { border-collapse: collapse; width: 100%; font-size: 12px; }
section#lead th, section#lead td { padding: 2px 6px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
section#lead td.num, section#lead th.num { text-align: right; font-family: ui-monospace, monospace; }
section#lead td.why, section#lead td.more, section#lead ul.why-run { white-space: normal; overflow-wrap: anywhere; }
section#lead button.link { all: unset; font-family: ui-monospace, monospace; }
/* The jump and count links act only through the script: without it they read as the plain text they are. */
html.js section#lead button.link { cursor: pointer; color: #1a73e8; }
html.js section#lead button.link:hover, html.js section#lead button.link:focus { text-decoration: underline; }
section#lead .none { color: var(--pass-ink); padding: 4px 6px; margin: 0; }
section#lead .run-fails { color: var(--fail-ink); font-weight: 600; padding: 4px 6px; margin: 0; }
section#lead ul.why-run { color: var(--fail-ink); margin: 4px 0; padding-left: 22px; }
/* Without the script the filters would claim a view they do not apply, and a click opens nothing. */
html:not(.js) .needs-js { display: none !important; }
.no-script { margin: 4px 0; font-weight: 600; }
nav.filters { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 6px 16px; background: #f8f9fa; border-bottom: 1px solid var(--line); }
nav.filters label { display: flex; gap: 4px; align-items: center; }
nav.filters .count { color: #5f6368; }
.target { padding: 8px 16px 16px; }
.target h2 { font-size: 14px; margin: 4px 0; }
.grid-wrap { overflow: auto; max-height: calc(100vh - 90px); border: 1px solid var(--line); }
table.grid { border-collapse: separate; border-spacing: 0; }
.grid th, .grid td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 3px 6px; white-space: nowrap; }
.grid thead th { position: sticky; background: #fff; z-index: 2; }
.grid thead tr.groups th { top: 0; height: 26px; text-align: left; background: #f1f3f4; }
.grid thead tr.checks th { top: 26px; height: 150px; vertical-align: bottom; font-weight: 500; }
.grid thead tr.checks th span { writing-mode: vertical-rl; transform: rotate(180deg); font-family: ui-monospace, monospace; font-size: 12px; }
.grid th.model { position: sticky; left: 0; z-index: 1; background: #fff; text-align: left; font-family: ui-monospace, monospace; font-weight: 500; }
.grid thead th.corner { left: 0; z-index: 3; }
/* With the drawer open the sticky model column takes at most a third of what is left, so a cell has room beside it. */
body.drawer-open .grid th.model { max-width: calc((100vw - var(--drawer)) / 3); overflow: hidden; text-overflow: ellipsis; }
/* A model the gate found nothing of observed: its cells read something, but not the model. */
.grid tr.unobserved td.cell { opacity: .45; font-style: italic; } .grid tr.unobserved th.model { color: var(--fail-ink); }
.grid tr.family th { position: sticky; left: 0; background: #e8eaed; text-align: left; z-index: 1; }
td.cell { cursor: pointer; font-family: ui-monospace, monospace; font-size: 12px; min-width: 44px; position: relative; }
td.cell:hover, td.cell:focus { outline: 2px solid #1a73e8; outline-offset: -2px; }
td.cell.selected { outline: 3px solid #1a73e8; outline-offset: -3px; }
td.s-pass { background: var(--pass); color: var(--pass-ink); }
td.s-fail { background: var(--fail); color: var(--fail-ink); font-weight: 600; }
td.s-error { background: var(--error); color: var(--error-ink); font-weight: 600; }
td.s-unsupported { background: var(--unsupported); color: var(--unsupported-ink); font-style: italic; }
td.s-skipped { background: var(--skipped); color: var(--skipped-ink); }
td.s-flaky { background: var(--flaky); color: var(--flaky-ink); font-weight: 600; }
td.s-inconclusive { background: var(--inconclusive); color: var(--inconclusive-ink); }
td.gating { box-shadow: inset 0 0 0 2px var(--fail-ink); }
td.cell .change { position: absolute; top: 0; right: 1px; font-size: 10px; }
td.dim { opacity: 0.25; }
td.cell .deviation { color: #b06000; }
.hidden { display: none !important; }
aside#detail { position: fixed; right: 0; top: 0; bottom: 0; width: min(var(--drawer), 100%); overflow: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 12px rgba(0,0,0,.08); padding: 16px; z-index: 10; }
aside#detail h3 { margin: 0 0 8px; font-family: ui-monospace, monospace; font-size: 14px; word-break: break-all; }
aside#detail dl { display: grid; grid-template-columns: 110px 1fr; gap: 4px 8px; margin: 0 0 12px; }
aside#detail dt { color: #5f6368; } aside#detail dd { margin: 0; word-break: break-word; }
aside#detail code { font-family: ui-monospace, monospace; background: #f1f3f4; padding: 0 3px; }
aside#detail table { border-collapse: collapse; width: 100%; font-size: 12px; margin-bottom: 12px; }
aside#detail td, aside#detail th { border: 1px solid var(--line); padding: 3px 5px; vertical-align: top; text-align: left; word-break: break-word; }
aside#detail button { float: right; }
aside#detail table.evidence td:nth-child(2) { white-space: nowrap; }
section#changes, section#latency { padding: 0 16px 16px; }
section#changes li { font-family: ui-monospace, monospace; font-size: 12px; }
section#latency table { border-collapse: collapse; font-size: 12px; }
section#latency td, section#latency th { border: 1px solid var(--line); padding: 2px 6px; text-align: right; }
section#latency td:first-child, section#latency td:nth-child(2) { text-align: left; font-family: ui-monospace, monospace; }
`;
