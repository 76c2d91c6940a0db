// Start-up: the Mini App login when opened inside Telegram, GET /api/v1/me, then the router.
import './style.css';
import { api, ApiError, setUnauthorizedHandler, type Me } from './api';
import type { Ctx, Page } from './app';
import { errorBox, fill, h, link } from './dom';
import { alertsPage } from './pages/alerts';
import { comparePage } from './pages/compare';
import { detailPage } from './pages/detail';
import { listPage } from './pages/list';
import { settingsPage } from './pages/settings';
import { unauthorizedPage } from './pages/unauthorized';
import { lang, langOf, saveLang, savedLang, setLang, t, type Key, type Lang } from './i18n';
import { applyTelegramTheme, applyTheme, currentTheme, toggleTheme } from './theme';

const routes: [RegExp, Page, Key][] = [
	[/^\/$/, listPage, 'nav.servers'],
	[/^\/servers\/(?<id>\d+)$/, detailPage, 'title.server'],
	[/^\/compare$/, comparePage, 'nav.compare'],
	[/^\/alerts$/, alertsPage, 'nav.alerts'],
	[/^\/settings$/, settingsPage, 'nav.settings'],
];

const app = document.getElementById('app')!;
let leave: (() => void)[] = [];
let me: Me | null = null;
let main: HTMLElement;
let shown401 = false;

function nav(): HTMLElement {
	const item = (href: string, label: string) => link(href, { class: 'nav-item' }, label);
	const toggle = h('button', { type: 'button', class: 'icon theme-toggle', 'aria-label': t('app.theme'), title: t('app.theme_title') },
		currentTheme() === 'dark' ? '☀' : '☾');
	toggle.addEventListener('click', () => (toggle.textContent = toggleTheme() === 'dark' ? '☀' : '☾'));
	return h('header', { class: 'top' },
		link('/', { class: 'brand', 'aria-label': t('app.home') }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'ServerSan'),
		h('nav', { 'aria-label': t('app.nav') }, item('/', t('nav.servers')), item('/compare', t('nav.compare')), item('/alerts', t('nav.alerts')), item('/settings', t('nav.settings'))),
		toggle);
}

function markNav(path: string): void {
	for (const a of document.querySelectorAll<HTMLAnchorElement>('.nav-item')) {
		const href = a.getAttribute('href')!;
		const on = href === '/' ? path === '/' || path.startsWith('/servers/') : path.startsWith(href);
		if (on) a.setAttribute('aria-current', 'page');
		else a.removeAttribute('aria-current');
	}
}

async function render(): Promise<void> {
	for (const f of leave) f();
	leave = [];
	const path = location.pathname;
	markNav(path);
	for (const [re, page, title] of routes) {
		const m = re.exec(path);
		if (!m) continue;
		document.title = `${t(title)} · ServerSan`;
		const root = h('main', { id: 'main', tabindex: '-1' });
		main.replaceWith(root);
		main = root;
		const ctx: Ctx = { me: me!, zone: me!.time_zone || 'UTC', go, onLeave: (f) => leave.push(f), setLanguage };
		try {
			await page(root, ctx, m.groups ?? {});
		} catch (e) {
			if (!(e instanceof ApiError && e.status === 401)) root.appendChild(errorBox(e));
		}
		return;
	}
	fill(main, h('section', { class: 'panel empty' }, h('h1', {}, t('app.not_found')), h('p', {}, link('/', {}, t('app.back_to_servers')))));
}

function go(path: string): void {
	if (path !== location.pathname + location.search) history.pushState(null, '', path);
	void render();
	main?.focus({ preventScroll: true });
	window.scrollTo(0, 0);
}

/** Settings' language switch: kept in this browser (null: the user's Telegram language again),
 * and the frame and the page drawn anew in it. */
function setLanguage(l: Lang | null): void {
	saveLang(l);
	setLang(l ?? langOf(me?.language));
	drawFrame();
	markNav(location.pathname);
	void render();
}

function show401(): void {
	if (shown401) return;
	shown401 = true;
	for (const f of leave) f();
	leave = [];
	document.title = `${t('title.login')} · ServerSan`;
	fill(app, unauthorizedPage());
}

/** Telegram's Mini App script is loaded only when Telegram opened the page (tgWebAppData in the
 * hash), so the dashboard never reaches the internet otherwise. */
async function telegramLogin(): Promise<void> {
	if (!location.hash.includes('tgWebAppData')) return;
	await new Promise<void>((resolve) => {
		const s = document.createElement('script');
		s.src = 'https://telegram.org/js/telegram-web-app.js';
		s.onload = () => resolve();
		s.onerror = () => resolve();
		document.head.appendChild(s);
	});
	const tg = (window as any).Telegram?.WebApp;
	if (!tg?.initData) return;
	tg.ready?.();
	tg.expand?.();
	applyTelegramTheme(tg.themeParams, tg.colorScheme);
	await api.miniAppLogin(tg.initData);
}

/** The skip link, the top bar and an empty main, in the current language. */
function drawFrame(): void {
	main = h('main', { id: 'main', tabindex: '-1' });
	fill(app, h('a', { class: 'skip', href: '#main' }, t('app.skip')), nav(), main);
}

async function start(): Promise<void> {
	performance.mark('ss:start');
	applyTheme();
	setUnauthorizedHandler(show401);
	// Before /me answers, this browser's choice or its own language; then the user's, unless chosen.
	setLang(savedLang() ?? langOf(navigator.language));
	drawFrame();
	try {
		await telegramLogin();
		if (location.pathname === '/') api.prefetchServers();
		me = await api.me();
		performance.mark('ss:me');
		const chosen = savedLang() ?? langOf(me.language);
		if (chosen !== lang()) {
			setLang(chosen);
			drawFrame();
		}
	} catch (e) {
		if (e instanceof ApiError && e.status === 401) return show401();
		fill(main, errorBox(e));
		return;
	}
	document.addEventListener('click', (ev) => {
		const a = (ev.target as Element).closest?.('a[data-nav]') as HTMLAnchorElement | null;
		if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
		ev.preventDefault();
		go(a.getAttribute('href')!);
	});
	window.addEventListener('popstate', () => void render());
	await render();
}

void start();
