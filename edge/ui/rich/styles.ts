// The rich tier's whole stylesheet, inline (one request per page on a slow network). Mobile
// first, with big touch targets; widens gently on tablets and desktops. Kept free of the
// characters HTML escaping would change (quotes, ampersands, angle brackets). Touch targets
// (buttons, navigation, form fields, paging links) are at least 44 px tall; long words wrap.
export const RICH_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f4f5f8;overflow-wrap:anywhere}
a{color:#2456c7}
header{background:#2456c7;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
header a{color:#fff;text-decoration:none}
.brand{font-weight:700;font-size:1.15rem;margin-right:auto}
nav{display:flex;gap:.25rem;flex-wrap:wrap;align-items:center}
nav a,nav button{display:inline-block;padding:.55rem .75rem;min-height:44px;border-radius:8px;color:#fff;background:transparent;border:0;font:inherit;cursor:pointer}
nav a:hover,nav button:hover{background:rgba(255,255,255,.15)}
nav form{margin:0}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 .75rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.stream{list-style:none;margin:0;padding:0}
.meta{color:#5b6475;font-size:.85rem}
.text{margin:.35rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.head,.title{margin:0}
.title{margin-top:.35rem}
.quote{color:#5b6475}
.stream .meta{margin-top:.35rem}
.photo{display:block;max-width:100%;height:auto;margin:.5rem 0 0;border-radius:8px}
.filters{display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 .5rem}
.filters a{display:inline-flex;align-items:center;min-height:44px;padding:0 .75rem;border-radius:8px;background:#e4e8f1;text-decoration:none}
.filters a.on{background:#2456c7;color:#fff}
.badge{display:inline-block;min-width:1.4rem;padding:0 .4rem;border-radius:1rem;background:#b3261e;color:#fff;font-size:.8rem;text-align:center}
.unread{border-left:4px solid #2456c7}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,textarea,select{width:100%;min-height:44px;box-sizing:border-box;font:inherit;padding:.65rem;border:1px solid #c5cad6;border-radius:8px;background:#fff}
textarea{min-height:5.5rem;resize:vertical}
.button,button.primary{display:inline-block;margin-top:.75rem;padding:.7rem 1.2rem;min-height:44px;border:0;border-radius:8px;background:#2456c7;color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
button.secondary{background:#e4e8f1;color:#1d2330}
.actions{display:flex;gap:.5rem;flex-wrap:wrap}
.actions form{margin:0}
.error{color:#b3261e;font-size:.9rem;margin:.25rem 0 0}
.notice{background:#fff4d6;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
.people{list-style:none;padding:0;margin:0}
.people li{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding:.5rem 0;border-bottom:1px solid #e4e8f1}
.people li>a{display:inline-flex;align-items:center;min-height:44px;min-width:0}
.count{display:block;color:#5b6475;font-size:.8rem;text-align:right}
.older{display:block;text-align:center;padding:.9rem;margin:.5rem 0;min-height:44px}
.empty{color:#5b6475}
footer{text-align:center;color:#5b6475;font-size:.8rem;padding:2rem 1rem}
@media (min-width:48rem){main{padding:1.5rem}h1{font-size:1.7rem}}
`;
