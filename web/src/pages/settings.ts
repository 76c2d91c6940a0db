// Thresholds (the effective rules, as /threshold), notifications (as /notify), time zone, API
// tokens, sessions, logout, and this browser's language. Every change is a state-changing request:
// api.ts adds X-CSRF-Token.
import { api, type NotifySettings, type Rule } from '../api';
import type { Page } from '../app';
import { confirmDialog, copyBox, errorBox, fill, h } from '../dom';
import * as f from '../format';
import { langOf, savedLang, t, type Key, type Lang } from '../i18n';
import { KINDS } from '../metrics';

const SOURCE: Record<string, Key> = { builtin: 'src.builtin', chat: 'src.chat', tag: 'src.tag', server: 'src.server' };
const SEVERITIES: ['warning' | 'critical', Key][] = [['warning', 'sev.warning'], ['critical', 'sev.critical']];
const VIA: Record<string, Key> = { link: 'via.link', miniapp: 'via.miniapp', admin: 'via.admin', console: 'via.console' };

function toast(el: HTMLElement, text: string, ok = true): void {
	el.textContent = text;
	el.className = `toast ${ok ? 'ok' : 'bad'}`;
}

function thresholdsSection(ctx: Parameters<Page>[1]): HTMLElement {
	const body = h('div', {}, h('div', { class: 'bone block' }));
	const scope = h('select', { 'aria-label': t('th.scope') }, h('option', { value: '' }, t('th.defaults')));
	const status = h('p', { class: 'toast', role: 'status' });
	const sec = h('section', { class: 'panel', id: 'thresholds' },
		h('div', { class: 'panel-head' }, h('h2', {}, t('th.title')), scope), status, body);
	// A group's servers: named with their group; a member may look, only the group's admins change.
	const readOnly = new Set<number>();
	api.servers().then((r) => {
		for (const s of r.servers.sort((a, b) => a.name.localeCompare(b.name))) {
			if (s.group && !s.group.admin) readOnly.add(s.id);
			const label = s.group ? `${s.name} · ${s.group.title || t('group.unnamed')}` : s.name;
			scope.appendChild(h('option', { value: String(s.id) }, label));
		}
	}, () => {});
	scope.addEventListener('change', () => void load());

	const row = (r: Rule, locked: boolean) => {
		const k = KINDS[r.kind] ?? { label: r.kind, unit: '' };
		const minutes = k.unit === 'minutes';
		// Network rates are typed in MB/s (decimal, as the bot's /threshold takes them), not bytes.
		const factor = k.unit === 'bytes_per_s' ? 1e6 : 1;
		const th = h('input', { type: 'number', step: 'any', min: 0, value: String(+(r.threshold / factor).toPrecision(6)), 'aria-label': t('th.threshold_of', { kind: k.label }), class: 'num' });
		const forMin = h('input', { type: 'number', min: 0, step: 1, value: String(Math.round(r.for_s / 60)), 'aria-label': t('th.duration_of', { kind: k.label }), class: 'num', disabled: minutes });
		const sev = h('select', { 'aria-label': t('th.severity_of', { kind: k.label }) }, ...SEVERITIES.map(([s, key]) => h('option', { value: s, selected: r.severity === s }, t(key))));
		const on = h('input', { type: 'checkbox', checked: r.enabled, 'aria-label': t('th.on_of', { kind: k.label }) });
		// Save lights up once the row differs from what the server has.
		const save = h('button', { type: 'button', class: 'primary small', disabled: true }, t('th.save'));
		const reset = h('button', { type: 'button', class: 'small', disabled: r.source === 'builtin' || (scope.value !== '' && r.source !== 'server') || (scope.value === '' && r.source !== 'chat') }, t('th.reset'));
		const unitLabel = minutes ? t('th.min_offline') : k.unit === 'percent' ? '%' : k.unit === 'bytes_per_s' ? 'MB/s' : k.unit === 'celsius' ? '°C' : '';
		if (locked) for (const el of [th, forMin, sev, on, reset]) el.disabled = true;
		for (const el of [th, forMin, sev, on]) {
			el.addEventListener('input', () => (save.disabled = false));
			el.addEventListener('change', () => (save.disabled = false));
		}
		save.addEventListener('click', async () => {
			const rule: Rule = {
				kind: r.kind, device: r.device || undefined, threshold: Number(th.value) * factor, clear: r.clear ?? undefined,
				for_s: minutes ? r.for_s : Number(forMin.value) * 60, severity: sev.value, enabled: on.checked,
			};
			if (scope.value) rule.server = Number(scope.value);
			try {
				await api.setThreshold(rule);
				toast(status, t('th.saved', { rule: `${k.label}${r.device ? ' ' + r.device : ''} ${th.value}${unitLabel === '%' ? '%' : ' ' + unitLabel}` }));
				await load();
			} catch (e) {
				toast(status, (e as Error).message, false);
			}
		});
		reset.addEventListener('click', async () => {
			try {
				await api.resetThreshold(r.kind, scope.value ? Number(scope.value) : null, r.device);
				toast(status, t('th.reset_done', { kind: k.label }));
				await load();
			} catch (e) {
				toast(status, (e as Error).message, false);
			}
		});
		return h('tr', { 'data-kind': r.kind + (r.device ? ':' + r.device : '') },
			h('th', { scope: 'row' }, k.label, r.device ? h('span', { class: 'sub' }, r.device) : ''),
			h('td', { 'data-label': t('th.col.threshold') }, h('span', { class: 'with-unit' }, th, h('span', { class: 'unit' }, unitLabel))),
			h('td', { 'data-label': t('th.col.for') }, minutes ? h('span', { class: 'muted' }, '–') : h('span', { class: 'with-unit' }, forMin, h('span', { class: 'unit' }, t('th.min')))),
			h('td', { 'data-label': t('th.col.severity') }, sev),
			h('td', { 'data-label': t('th.col.on') }, on),
			h('td', { 'data-label': t('th.col.from') }, h('span', { class: `src src-${r.source ?? 'builtin'}` }, SOURCE[r.source ?? ''] ? t(SOURCE[r.source ?? '']) : r.source ?? ''),
				r.route_chat ? h('span', { class: 'sub', title: t('th.route_title') }, t(r.route_chat < 0 ? 'th.route_group' : 'th.route_own')) : ''),
			h('td', { class: 'row-actions' }, save, reset));
	};

	async function load(): Promise<void> {
		try {
			const rules = await api.thresholds(scope.value ? Number(scope.value) : undefined);
			const locked = readOnly.has(Number(scope.value));
			if (locked) toast(status, t('group.read_only'), false);
			else if (status.textContent === t('group.read_only')) toast(status, '');
			fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'plain rules' },
				h('thead', {}, h('tr', {}, ...(['th.col.alert', 'th.col.threshold', 'th.col.for', 'th.col.severity', 'th.col.on', 'th.col.from'] as Key[]).map((x) => h('th', { scope: 'col' }, t(x))), h('th', { scope: 'col' }))),
				h('tbody', {}, ...rules.map((r) => row(r, locked))))));
		} catch (e) {
			fill(body, errorBox(e));
		}
	}
	void load();
	void ctx;
	return sec;
}

const minToTime = (m: number | null) => (m === null ? '' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const timeToMin = (t: string) => (t ? Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)) : null);

function notifySection(): HTMLElement {
	const body = h('div', {}, h('div', { class: 'bone block' }));
	const sec = h('section', { class: 'panel', id: 'notifications' }, h('h2', {}, t('nt.title')), body);
	api.notify().then((n) => fill(body, notifyForm(n)), (e) => fill(body, errorBox(e)));
	return sec;
}

function notifyForm(n: NotifySettings): HTMLElement {
	const check = (label: string, checked: boolean) => {
		const i = h('input', { type: 'checkbox', checked });
		return [i, h('label', { class: 'check' }, i, label)] as const;
	};
	const [on, onL] = check(t('nt.send'), n.notify);
	const kinds = Object.entries(KINDS).map(([k, v]) => check(v.label, !n.muted_kinds.includes(k)));
	const from = h('input', { type: 'time', value: minToTime(n.quiet_from_min), 'aria-label': t('nt.quiet_from') });
	const to = h('input', { type: 'time', value: minToTime(n.quiet_to_min), 'aria-label': t('nt.quiet_until') });
	const [crit, critL] = check(t('nt.critical'), n.quiet_lets_critical);
	const [silent, silentL] = check(t('nt.silent'), n.silent_warnings);
	const reminders: [number, string][] = [[0, t('nt.off')], ...[3600, 4 * 3600, 12 * 3600, 86400].map((s): [number, string] => [s, f.duration(s)])];
	if (!reminders.some(([s]) => s === n.reminder_s)) reminders.push([n.reminder_s, f.duration(n.reminder_s)]);
	const reminder = h('select', {}, ...reminders.map(([s, l]) => h('option', { value: String(s), selected: s === n.reminder_s }, l)));
	const digest = h('select', {}, h('option', { value: '' }, t('nt.off')),
		...Array.from({ length: 24 }, (_, i) => h('option', { value: String(i), selected: n.digest_hour === i }, `${String(i).padStart(2, '0')}:00`)));
	const zones: string[] = (Intl as any).supportedValuesOf?.('timeZone') ?? [];
	const zone = h('input', { type: 'text', list: 'zones', value: n.time_zone, placeholder: t('nt.zone_ph'), autocomplete: 'off' });
	const zoneList = h('datalist', { id: 'zones' }, ...zones.map((z) => h('option', { value: z })));
	const status = h('p', { class: 'toast', role: 'status' });
	const form = h('form', { class: 'stack notify' },
		onL,
		h('fieldset', {}, h('legend', {}, t('nt.kinds')), h('div', { class: 'kinds' }, ...kinds.map(([, l]) => l))),
		h('fieldset', {}, h('legend', {}, t('nt.quiet')),
			h('div', { class: 'row' }, h('label', {}, t('nt.from'), from), h('label', {}, t('nt.until'), to),
				h('button', { type: 'button', class: 'small', onclick: () => { from.value = ''; to.value = ''; } }, t('nt.no_quiet'))),
			critL),
		silentL,
		h('div', { class: 'row' }, h('label', {}, t('nt.remind'), reminder), h('label', {}, t('nt.digest'), digest)),
		h('label', {}, t('nt.zone'), zone), zoneList,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('nt.save'))), status);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const qf = timeToMin(from.value), qt = timeToMin(to.value);
		if ((qf === null) !== (qt === null) || (qf !== null && qf === qt)) return toast(status, t('nt.bad_quiet'), false);
		if (zone.value && zones.length && !zones.includes(zone.value) && zone.value !== 'UTC') return toast(status, t('nt.bad_zone', { zone: zone.value }), false);
		const next: NotifySettings = {
			...n, notify: on.checked,
			muted_kinds: Object.keys(KINDS).filter((_, i) => !kinds[i][0].checked),
			quiet_from_min: qf, quiet_to_min: qt, quiet_lets_critical: crit.checked, silent_warnings: silent.checked,
			reminder_s: Number(reminder.value), digest_hour: digest.value === '' ? null : Number(digest.value), time_zone: zone.value.trim(),
		};
		try {
			Object.assign(n, await api.setNotify(next));
			toast(status, t('nt.saved'));
		} catch (e) {
			toast(status, (e as Error).message, false);
		}
	});
	return form;
}

function tokensSection(zone: string): HTMLElement {
	const list = h('div', {}, h('div', { class: 'bone block' }));
	const name = h('input', { type: 'text', placeholder: t('tok.name_ph'), required: true, maxlength: 64, 'aria-label': t('tok.name') });
	const shown = h('div');
	const form = h('form', { class: 'row' }, name, h('button', { type: 'submit', class: 'primary' }, t('tok.create')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		try {
			const tok = await api.createToken(name.value.trim());
			fill(shown, h('p', { class: 'warn-note' }, t('tok.shown_once', { name: tok.name })), copyBox(tok.token));
			name.value = '';
			await load();
		} catch (e) {
			fill(shown, errorBox(e));
		}
	});
	async function load(): Promise<void> {
		try {
			const tokens = (await api.tokens()).filter((t) => !t.revoked_ms);
			fill(list, tokens.length === 0 ? h('p', { class: 'muted' }, t('tok.none')) : h('ul', { class: 'items' }, ...tokens.map((tok) =>
				h('li', {}, h('span', {}, h('strong', {}, tok.name), ' ', h('code', {}, `${tok.prefix}…`)),
					h('span', { class: 'muted' }, `${t('tok.created', { time: f.localTime(tok.created_ms, zone) })} · ${tok.last_used_ms ? t('tok.used', { ago: f.ago(tok.last_used_ms, Date.now()) }) : t('tok.never_used')}`),
					h('button', { type: 'button', class: 'small danger', onclick: async () => {
						if (!(await confirmDialog(t('tok.revoke_ask'), t('tok.revoke_text', { name: tok.name }), t('tok.revoke')))) return;
						try { await api.revokeToken(tok.id); await load(); } catch (e) { list.appendChild(errorBox(e)); }
					} }, t('tok.revoke'))))));
		} catch (e) {
			fill(list, errorBox(e));
		}
	}
	void load();
	return h('section', { class: 'panel', id: 'tokens' }, h('h2', {}, t('tok.title')),
		h('p', { class: 'muted' }, t('tok.intro')), form, shown, list);
}

function sessionsSection(zone: string): HTMLElement {
	const list = h('div', {}, h('div', { class: 'bone block' }));
	async function load(): Promise<void> {
		try {
			// This browser's session first, then the most recently used.
			const sessions = (await api.sessions()).sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_ms - a.last_seen_ms);
			fill(list, h('ul', { class: 'items' }, ...sessions.map((s) =>
				h('li', {}, h('span', {}, h('strong', { title: s.user_agent ?? '' }, f.browserName(s.user_agent)), s.current ? h('span', { class: 'tag' }, t('ses.this_one')) : ''),
					h('span', { class: 'muted' }, `${VIA[s.via] ? t(VIA[s.via]) : s.via} · ${s.ip} · ${t('ses.last_seen', { ago: f.ago(s.last_seen_ms, Date.now()) })} · ${t('ses.expires', { time: f.localTime(s.expires_ms, zone) })}`),
					s.current ? '' : h('button', { type: 'button', class: 'small danger', onclick: async () => {
						try { await api.revokeSession(s.id); await load(); } catch (e) { list.appendChild(errorBox(e)); }
					} }, t('ses.revoke'))))));
		} catch (e) {
			fill(list, errorBox(e));
		}
	}
	void load();
	const logout = h('button', { type: 'button', class: 'danger' }, t('ses.logout'));
	logout.addEventListener('click', async () => {
		try {
			await api.logout();
		} finally {
			location.href = '/';
		}
	});
	return h('section', { class: 'panel', id: 'sessions' }, h('div', { class: 'panel-head' }, h('h2', {}, t('ses.title')), logout), list);
}

/** English / 中文 for this browser, or the Telegram language again: no request, kept locally. */
function languageSection(ctx: Parameters<Page>[1]): HTMLElement {
	const telegram = langOf(ctx.me.language);
	const options: [string, string][] = [['', t('lang.auto', { lang: t(`lang.${telegram}`) })], ['en', t('lang.en')], ['zh', t('lang.zh')]];
	const saved = savedLang() ?? '';
	const group = h('div', { class: 'langs', role: 'radiogroup', 'aria-label': t('lang.title') }, ...options.map(([v, label]) =>
		h('label', { class: 'check' }, h('input', { type: 'radio', name: 'lang', value: v, checked: v === saved, onchange: () => ctx.setLanguage((v || null) as Lang | null) }),
			h('span', { lang: v === 'zh' ? 'zh-CN' : v === 'en' ? 'en' : null }, label))));
	return h('section', { class: 'panel', id: 'language' }, h('h2', {}, t('lang.title')), group);
}

export const settingsPage: Page = (root, ctx) => {
	fill(root,
		h('div', { class: 'toolbar' }, h('h1', {}, t('set.title')), h('span', { class: 'muted' }, t('set.logged_in_as', { name: ctx.me.name }))),
		h('nav', { class: 'subnav', 'aria-label': t('set.sections') },
			h('a', { href: '#thresholds' }, t('set.nav.thresholds')), h('a', { href: '#notifications' }, t('set.nav.notifications')),
			h('a', { href: '#language' }, t('set.nav.language')), h('a', { href: '#tokens' }, t('set.nav.tokens')),
			h('a', { href: '#sessions' }, t('set.nav.sessions'))),
		thresholdsSection(ctx), notifySection(), languageSection(ctx), tokensSection(ctx.zone), sessionsSection(ctx.zone));
};
