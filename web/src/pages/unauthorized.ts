// The page a 401 leads to: there are no passwords, so it says where a login link comes from.
import { h } from '../dom';
import { t } from '../i18n';

export function unauthorizedPage(): HTMLElement {
	return h('main', { id: 'main', class: 'login' },
		h('section', { class: 'panel login-card' },
			h('div', { class: 'logo big', 'aria-hidden': 'true' }),
			h('h1', {}, t('login.title')),
			h('p', {}, t('login.intro')),
			h('ul', { class: 'steps' },
				h('li', {}, t('login.bot_1'), h('code', {}, '/web'), t('login.bot_2')),
				h('li', {}, t('login.cli_1'), h('code', {}, 'serversan-server web login-link'), t('login.cli_2'))),
			h('p', { class: 'muted' }, t('login.once'))));
}
