import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

export function loginPage(options: { readonly error?: string; readonly next?: string; readonly name?: string }): SafeHtml {
  return page(
    'Log in',
    html`<main><form class="login" method="post" action="/login">
  <h1><span class="mark" style="width:24px;height:24px;border-radius:6px;background:linear-gradient(135deg,#4f8cff,#34c3a0);display:inline-block"></span>medic fleet</h1>
  ${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
  <label for="name">Operator</label>
  <input id="name" name="name" autocomplete="username" required autofocus value="${options.name ?? ''}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <input type="hidden" name="next" value="${options.next ?? '/'}">
  <button class="primary" type="submit">Log in</button>
  <p class="muted small">Operators are added on the server with <span class="mono">medic fleet operator add NAME</span>.</p>
</form></main>`,
    {},
  );
}
