// The dashboard's one stylesheet, served at /assets/dashboard.css (the npm package ships only
// dist/src, so assets travel as strings, like the migrations). System fonts, no web fonts: the
// server may have no internet and neither may the operator's browser.

export const stylesheet = `
:root {
  --ink: #17202e; --muted: #5b6576; --line: #e3e7ee; --paper: #f5f6f9; --card: #fff;
  --head: #121826; --head-ink: #e8ecf4; --accent: #3b6fe0; --accent-soft: #e8effd;
  --ok: #16835a; --ok-soft: #e3f5ec; --risk: #b8660b; --risk-soft: #fdf0dc;
  --fail: #c23a3a; --fail-soft: #fbe6e6; --silent: #6a4fc7; --silent-soft: #eee9fb;
  --never: #7b8494; --never-soft: #eef0f3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; color: var(--ink); background: var(--paper);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: var(--head); color: var(--head-ink); display: flex; align-items: center; gap: 28px; padding: 0 28px; height: 56px; }
header.top .brand { font-weight: 700; letter-spacing: .02em; font-size: 16px; color: #fff; display: flex; align-items: center; gap: 10px; }
header.top .brand .mark { width: 22px; height: 22px; border-radius: 6px; background: linear-gradient(135deg, #4f8cff, #34c3a0); display: inline-block; }
header.top nav { display: flex; gap: 4px; flex: 1; }
header.top nav a { color: #aeb7c9; padding: 8px 12px; border-radius: 6px; font-weight: 500; }
header.top nav a:hover { color: #fff; background: #1f2738; text-decoration: none; }
header.top nav a.active { color: #fff; background: #253049; }
header.top .who { color: #aeb7c9; font-size: 13px; display: flex; gap: 12px; align-items: center; }
header.top .who button { background: transparent; border: 1px solid #39445c; color: #d5dbe7; border-radius: 6px; padding: 5px 10px; cursor: pointer; font: inherit; }
main { max-width: 1240px; margin: 0 auto; padding: 28px; }
h1 { font-size: 24px; margin: 0 0 4px; font-weight: 650; }
h2 { font-size: 16px; margin: 0 0 12px; font-weight: 650; }
.sub { color: var(--muted); margin: 0 0 22px; font-size: 14px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 14px; margin-bottom: 24px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
a.card { color: inherit; display: block; }
a.card:hover { text-decoration: none; border-color: #c6cfdd; box-shadow: 0 1px 4px rgba(20,30,50,.06); }
.card .n { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.15; }
.card .l { color: var(--muted); font-size: 13px; margin-top: 2px; }
.card.ok .n { color: var(--ok); } .card.risk .n { color: var(--risk); } .card.fail .n { color: var(--fail); } .card.silent .n { color: var(--silent); } .card.off .n { color: var(--never); }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-bottom: 22px; overflow-x: auto; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 22px; }
.grid2.wide-left { grid-template-columns: 1.5fr 1fr; }
@media (max-width: 900px) { .grid2, .grid2.wide-left { grid-template-columns: 1fr; } main { padding: 18px; } header.top { padding: 0 14px; gap: 12px; } }
form.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 16px; }
input, select { font: inherit; border: 1px solid #cfd6e1; border-radius: 7px; padding: 7px 10px; background: #fff; color: var(--ink); }
input[type=search] { min-width: 260px; }
button.primary, a.button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 7px; padding: 8px 16px; cursor: pointer; font-weight: 600; }
a.reset { color: var(--muted); font-size: 14px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; padding: 8px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { font-size: 14px; padding: 9px 10px; border-bottom: 1px solid #eef1f5; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: #f8fafd; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.mono, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); } .badge.at-risk { background: var(--risk-soft); color: var(--risk); }
.badge.failed { background: var(--fail-soft); color: var(--fail); } .badge.silent { background: var(--silent-soft); color: var(--silent); }
.badge.never-seen { background: var(--never-soft); color: var(--never); }
.tag { display: inline-block; background: var(--accent-soft); color: #2b55b5; border-radius: 5px; padding: 1px 7px; font-size: 12px; margin: 0 4px 2px 0; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: var(--never); vertical-align: 1px; }
.dot.online { background: var(--ok); } .dot.offline { background: #a8b0bd; }
.score { display: inline-flex; align-items: center; gap: 8px; }
.score .bar { width: 64px; height: 6px; border-radius: 3px; background: #edf0f4; overflow: hidden; }
.score .bar i { display: block; height: 100%; background: var(--ok); }
.score.at-risk .bar i, .score.high .bar i { background: var(--risk); } .score.failed .bar i { background: var(--fail); }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.empty { color: var(--muted); padding: 18px 4px; }
.weak { color: var(--risk); font-size: 12px; font-weight: 600; }
.finding { font-size: 15px; margin: 0 0 6px; }
.finding b { color: var(--fail); }
.timeline td:first-child { white-space: nowrap; color: var(--muted); }
.type { font-weight: 600; }
.type.bad { color: var(--fail); } .type.warn { color: var(--risk); }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.login { max-width: 380px; margin: 9vh auto; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 30px 32px; box-shadow: 0 10px 30px rgba(20,30,50,.08); }
.login h1 { margin-bottom: 18px; display: flex; gap: 10px; align-items: center; }
.login label { display: block; font-size: 13px; color: var(--muted); margin: 14px 0 5px; }
.login input { width: 100%; }
.login button { width: 100%; margin-top: 20px; padding: 10px; }
.error { background: var(--fail-soft); color: var(--fail); border-radius: 7px; padding: 9px 12px; font-size: 14px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; font-size: 14px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
`;
