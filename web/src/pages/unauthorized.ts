// The page a 401 leads to: there are no passwords, so it says where a login link comes from.
import { h } from '../dom';

export function unauthorizedPage(): HTMLElement {
	return h('main', { id: 'main', class: 'login' },
		h('section', { class: 'panel login-card' },
			h('div', { class: 'logo big', 'aria-hidden': 'true' }),
			h('h1', {}, 'Log in to ServerSan'),
			h('p', {}, 'You are not logged in, or your session has ended. ServerSan has no passwords: open a one-time login link.'),
			h('ul', { class: 'steps' },
				h('li', {}, 'In Telegram, send ', h('code', {}, '/web'), ' to your ServerSan bot and open the link it answers with.'),
				h('li', {}, 'On the server, run ', h('code', {}, 'serversan-server web login-link'), ' and open the link it prints.')),
			h('p', { class: 'muted' }, 'A link works once and for 5 minutes.')));
}
