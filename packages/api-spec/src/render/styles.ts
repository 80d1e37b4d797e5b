/** Inline CSS: the page must work offline, so there are no external stylesheets or fonts. */
export const referencePageStyles = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
code { background: var(--soft); padding: 1px 4px; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
pre code { background: none; padding: 0; }
.layout { display: flex; min-height: 100vh; }
nav { width: 290px; flex-shrink: 0; border-right: 1px solid var(--line); padding: 20px 16px; position: sticky; top: 0;
  height: 100vh; overflow-y: auto; background: #fbfcfd; }
nav h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 18px 0 6px; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li { margin: 3px 0; font-size: 13px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
main { flex: 1; max-width: 1040px; padding: 24px 40px 80px; }
h1 { margin-top: 0; } h2.tag { border-bottom: 1px solid var(--line); padding-bottom: 6px; margin-top: 48px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; border: 1px solid var(--line); padding: 6px 8px; }
th { background: var(--soft); font-weight: 600; }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 12px; margin: 20px 0; }
.operation h3 { display: flex; align-items: center; gap: 10px; }
.operation h4 { margin: 18px 0 6px; }
.method { font-size: 12px; font-weight: 700; color: #fff; border-radius: 4px; padding: 2px 8px; min-width: 62px; text-align: center; }
.method.get { background: #1a7f37; } .method.post { background: #0969da; } .method.delete { background: #cf222e; }
.method.patch, .method.put { background: #9a6700; } .method.options, .method.head, .method.trace { background: #59636e; }
code.path { font-size: 16px; background: none; }
.summary { font-weight: 600; } .operation-id { color: var(--muted); font-weight: 400; font-size: 12px; margin-left: 8px; }
.auth { color: var(--muted); font-size: 14px; }
.badge { font-size: 11px; font-weight: 700; border-radius: 10px; padding: 1px 8px; }
.badge.admin { background: #ffebe9; color: #a40e26; }
.required { font-size: 11px; color: #a40e26; margin-left: 4px; }
.constraints, .note { color: var(--muted); font-size: 13px; }
.response { border-top: 1px dashed var(--line); padding: 8px 0; }
.status { font-weight: 700; font-family: ui-monospace, monospace; padding: 1px 6px; border-radius: 4px; }
.status.ok { background: #dafbe1; color: #116329; } .status.error { background: #ffebe9; color: #a40e26; }
.status.redirect { background: #fff8c5; color: #7d4e00; }
.media-type { font-size: 12px; color: var(--muted); margin-top: 6px; font-family: ui-monospace, monospace; }
.example-title { font-size: 12px; color: var(--muted); margin-top: 6px; }
.schema { border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 8px; margin: 16px 0; }
@media (max-width: 900px) { nav { display: none; } main { padding: 16px; } }
`;
