/**
 * @module history/history-style
 * The stylesheet of history.html (the page's CSP allows exactly this stylesheet, with uPlot's, by hash). The status
 * colours are matrix.html's.
 */
export const HISTORY_STYLE = `
:root { --pass:#cdebd5; --fail:#f6b9b6; --error:#ffe08a; --unsupported:#dadce0; --skipped:#eeeeee; --flaky:#d7b8f3;
  --inconclusive:#b9d0fb; --absent:#ffffff; --line:#dadce0; --ink:#202124; --muted:#5f6368; --fail-ink:#b00020; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header, section { padding: 8px 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 4px 0 6px; } h3 { font-size: 13px; margin: 8px 0 4px; }
p { margin: 2px 0; }
.muted { color: var(--muted); }
#recent .cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 16px; }
#recent ul { margin: 0; padding-left: 18px; max-height: 220px; overflow: auto; }
#recent li, #drift li { font-family: ui-monospace, monospace; font-size: 12px; }
#recent .none { color: #1e7e34; }
#latency .controls, nav.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
#latency .chart { min-height: 290px; margin-top: 6px; }
nav.filters { position: sticky; top: 0; z-index: 5; background: #f8f9fa; padding: 6px 16px; border-bottom: 1px solid var(--line); }
nav.filters label, #latency label { display: flex; gap: 4px; align-items: center; }
#cells table { border-collapse: collapse; width: 100%; }
#cells th, #cells td { border-bottom: 1px solid var(--line); padding: 2px 6px; text-align: left; white-space: nowrap; vertical-align: middle; }
#cells td.id { font-family: ui-monospace, monospace; font-size: 12px; }
#cells td.num { text-align: right; font-family: ui-monospace, monospace; }
#cells tr.row { cursor: pointer; } #cells tr.row:hover, #cells tr.row:focus { background: #e8f0fe; outline: none; }
#cells tr.row.selected { background: #d2e3fc; }
#cells canvas { display: block; border: 1px solid var(--line); }
#more { margin: 8px 0; }
.legend span { margin-right: 12px; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; border: 1px solid var(--line); margin-right: 3px; vertical-align: -1px; }
.legend i.s-pass { background: var(--pass); } .legend i.s-fail { background: var(--fail); } .legend i.s-error { background: var(--error); }
.legend i.s-unsupported { background: var(--unsupported); } .legend i.s-skipped { background: var(--skipped); }
.legend i.s-flaky { background: var(--flaky); } .legend i.s-inconclusive { background: var(--inconclusive); } .legend i.s-absent { background: var(--absent); }
body.drawer-open { padding-right: min(480px, 100%); }
aside#detail { position: fixed; right: 0; top: 0; bottom: 0; width: min(480px, 100%); overflow: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 12px rgba(0,0,0,.08); padding: 16px; z-index: 10; }
aside#detail h3 { font-family: ui-monospace, monospace; word-break: break-all; }
aside#detail table { border-collapse: collapse; width: 100%; font-size: 12px; }
aside#detail td, aside#detail th { border: 1px solid var(--line); padding: 3px 5px; text-align: left; vertical-align: top; word-break: break-word; }
aside#detail button { float: right; }
#models table { border-collapse: collapse; font-size: 12px; }
#models td, #models th { border: 1px solid var(--line); padding: 2px 6px; text-align: left; font-family: ui-monospace, monospace; }
#drift ul { max-height: 320px; overflow: auto; }
.hidden { display: none !important; }
`;
