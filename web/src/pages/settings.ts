// Thresholds (the effective rules, as /threshold), notifications (as /notify), time zone, API
// tokens, sessions, logout. Every change is a state-changing request: api.ts adds X-CSRF-Token.
import { api, type NotifySettings, type Rule } from '../api';
import type { Page } from '../app';
import { confirmDialog, copyBox, errorBox, fill, h } from '../dom';
import * as f from '../format';
import { KINDS } from '../metrics';

const SOURCE: Record<string, string> = { builtin: 'built-in', chat: 'this chat', server: 'this server' };
const SEVERITIES = ['warning', 'critical'];
const VIA: Record<string, string> = { link: 'login link', miniapp: 'Telegram Mini App', admin: 'admin link' };

function toast(el: HTMLElement, text: string, ok = true): void {
	el.textContent = text;
	el.className = `toast ${ok ? 'ok' : 'bad'}`;
}

function thresholdsSection(ctx: Parameters<Page>[1]): HTMLElement {
	const body = h('div', {}, h('div', { class: 'bone block' }));
	const scope = h('select', { 'aria-label': 'Rules of' }, h('option', { value: '' }, 'Defaults for all servers'));
	const status = h('p', { class: 'toast', role: 'status' });
	const sec = h('section', { class: 'panel', id: 'thresholds' },
		h('div', { class: 'panel-head' }, h('h2', {}, 'Alert thresholds'), scope), status, body);
	api.servers().then((r) => {
		for (const s of r.servers.sort((a, b) => a.name.localeCompare(b.name))) scope.appendChild(h('option', { value: String(s.id) }, s.name));
	}, () => {});
	scope.addEventListener('change', () => void load());

	const row = (r: Rule) => {
		const k = KINDS[r.kind] ?? { label: r.kind, unit: '' };
		const minutes = k.unit === 'minutes';
		// Network rates are typed in MB/s (decimal, as the bot's /threshold takes them), not bytes.
		const factor = k.unit === 'bytes_per_s' ? 1e6 : 1;
		const th = h('input', { type: 'number', step: 'any', min: 0, value: String(+(r.threshold / factor).toPrecision(6)), 'aria-label': `${k.label} threshold`, class: 'num' });
		const forMin = h('input', { type: 'number', min: 0, step: 1, value: String(Math.round(r.for_s / 60)), 'aria-label': `${k.label} duration in minutes`, class: 'num', disabled: minutes });
		const sev = h('select', { 'aria-label': `${k.label} severity` }, ...SEVERITIES.map((s) => h('option', { value: s, selected: r.severity === s }, s)));
		const on = h('input', { type: 'checkbox', checked: r.enabled, 'aria-label': `${k.label} on` });
		// Save lights up once the row differs from what the server has.
		const save = h('button', { type: 'button', class: 'primary small', disabled: true }, 'Save');
		const reset = h('button', { type: 'button', class: 'small', disabled: r.source === 'builtin' || (scope.value !== '' && r.source !== 'server') || (scope.value === '' && r.source !== 'chat') }, 'Reset');
		const unitLabel = minutes ? 'min offline' : k.unit === 'percent' ? '%' : k.unit === 'bytes_per_s' ? 'MB/s' : k.unit === 'celsius' ? '°C' : '';
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
				toast(status, `✓ Saved: ${k.label}${r.device ? ' ' + r.device : ''} ${th.value}${unitLabel === '%' ? '%' : ' ' + unitLabel}.`);
				await load();
			} catch (e) {
				toast(status, (e as Error).message, false);
			}
		});
		reset.addEventListener('click', async () => {
			try {
				await api.resetThreshold(r.kind, scope.value ? Number(scope.value) : null, r.device);
				toast(status, `✓ ${k.label} is back to the inherited rule.`);
				await load();
			} catch (e) {
				toast(status, (e as Error).message, false);
			}
		});
		return h('tr', { 'data-kind': r.kind + (r.device ? ':' + r.device : '') },
			h('th', { scope: 'row' }, k.label, r.device ? h('span', { class: 'sub' }, r.device) : ''),
			h('td', { 'data-label': 'Threshold' }, h('span', { class: 'with-unit' }, th, h('span', { class: 'unit' }, unitLabel))),
			h('td', { 'data-label': 'For' }, minutes ? h('span', { class: 'muted' }, '–') : h('span', { class: 'with-unit' }, forMin, h('span', { class: 'unit' }, 'min'))),
			h('td', { 'data-label': 'Severity' }, sev),
			h('td', { 'data-label': 'On' }, on),
			h('td', { 'data-label': 'From' }, h('span', { class: `src src-${r.source ?? 'builtin'}` }, SOURCE[r.source ?? ''] ?? r.source ?? ''),
				r.route_chat ? h('span', { class: 'sub', title: 'Set in Telegram with /threshold … here' }, r.route_chat < 0 ? '➜ a group chat' : '➜ your chat') : ''),
			h('td', { class: 'row-actions' }, save, reset));
	};

	async function load(): Promise<void> {
		try {
			const rules = await api.thresholds(scope.value ? Number(scope.value) : undefined);
			fill(body, h('div', { class: 'table-wrap' }, h('table', { class: 'plain rules' },
				h('thead', {}, h('tr', {}, ...['Alert', 'Threshold', 'For', 'Severity', 'On', 'Set by', ''].map((x) => h('th', { scope: 'col' }, x)))),
				h('tbody', {}, ...rules.map(row)))));
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
	const sec = h('section', { class: 'panel', id: 'notifications' }, h('h2', {}, 'Notifications'), body);
	api.notify().then((n) => fill(body, notifyForm(n)), (e) => fill(body, errorBox(e)));
	return sec;
}

function notifyForm(n: NotifySettings): HTMLElement {
	const check = (label: string, checked: boolean) => {
		const i = h('input', { type: 'checkbox', checked });
		return [i, h('label', { class: 'check' }, i, label)] as const;
	};
	const [on, onL] = check('Send alert messages', n.notify);
	const kinds = Object.entries(KINDS).map(([k, v]) => check(v.label, !n.muted_kinds.includes(k)));
	const from = h('input', { type: 'time', value: minToTime(n.quiet_from_min), 'aria-label': 'Quiet from' });
	const to = h('input', { type: 'time', value: minToTime(n.quiet_to_min), 'aria-label': 'Quiet until' });
	const [crit, critL] = check('Critical alerts get through quiet hours', n.quiet_lets_critical);
	const [silent, silentL] = check('Warnings arrive silently (no sound)', n.silent_warnings);
	const reminders: [number, string][] = [[0, 'off'], [3600, '1 h'], [4 * 3600, '4 h'], [12 * 3600, '12 h'], [86400, '1 day']];
	if (!reminders.some(([s]) => s === n.reminder_s)) reminders.push([n.reminder_s, f.duration(n.reminder_s)]);
	const reminder = h('select', {}, ...reminders.map(([s, l]) => h('option', { value: String(s), selected: s === n.reminder_s }, l)));
	const digest = h('select', {}, h('option', { value: '' }, 'off'),
		...Array.from({ length: 24 }, (_, i) => h('option', { value: String(i), selected: n.digest_hour === i }, `${String(i).padStart(2, '0')}:00`)));
	const zones: string[] = (Intl as any).supportedValuesOf?.('timeZone') ?? [];
	const zone = h('input', { type: 'text', list: 'zones', value: n.time_zone, placeholder: 'e.g. Europe/Berlin (empty: UTC)', autocomplete: 'off' });
	const zoneList = h('datalist', { id: 'zones' }, ...zones.map((z) => h('option', { value: z })));
	const status = h('p', { class: 'toast', role: 'status' });
	const form = h('form', { class: 'stack notify' },
		onL,
		h('fieldset', {}, h('legend', {}, 'Alert kinds'), h('div', { class: 'kinds' }, ...kinds.map(([, l]) => l))),
		h('fieldset', {}, h('legend', {}, 'Quiet hours'),
			h('div', { class: 'row' }, h('label', {}, 'From', from), h('label', {}, 'Until', to),
				h('button', { type: 'button', class: 'small', onclick: () => { from.value = ''; to.value = ''; } }, 'No quiet hours')),
			critL),
		silentL,
		h('div', { class: 'row' }, h('label', {}, 'Remind while firing every', reminder), h('label', {}, 'Daily digest at', digest)),
		h('label', {}, 'Time zone (quiet hours, digest and the times on these pages)', zone), zoneList,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save notifications')), status);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const qf = timeToMin(from.value), qt = timeToMin(to.value);
		if ((qf === null) !== (qt === null) || (qf !== null && qf === qt)) return toast(status, 'Quiet hours need a start and a different end.', false);
		if (zone.value && zones.length && !zones.includes(zone.value) && zone.value !== 'UTC') return toast(status, `“${zone.value}” is not a time zone name.`, false);
		const next: NotifySettings = {
			...n, notify: on.checked,
			muted_kinds: Object.keys(KINDS).filter((_, i) => !kinds[i][0].checked),
			quiet_from_min: qf, quiet_to_min: qt, quiet_lets_critical: crit.checked, silent_warnings: silent.checked,
			reminder_s: Number(reminder.value), digest_hour: digest.value === '' ? null : Number(digest.value), time_zone: zone.value.trim(),
		};
		try {
			Object.assign(n, await api.setNotify(next));
			toast(status, '✓ Saved.');
		} catch (e) {
			toast(status, (e as Error).message, false);
		}
	});
	return form;
}

function tokensSection(zone: string): HTMLElement {
	const list = h('div', {}, h('div', { class: 'bone block' }));
	const name = h('input', { type: 'text', placeholder: 'Token name, e.g. grafana', required: true, maxlength: 64, 'aria-label': 'Token name' });
	const shown = h('div');
	const form = h('form', { class: 'row' }, name, h('button', { type: 'submit', class: 'primary' }, 'Create token'));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		try {
			const t = await api.createToken(name.value.trim());
			fill(shown, h('p', { class: 'warn-note' }, `Token “${t.name}”: copy it now, it is not shown again.`), copyBox(t.token));
			name.value = '';
			await load();
		} catch (e) {
			fill(shown, errorBox(e));
		}
	});
	async function load(): Promise<void> {
		try {
			const tokens = (await api.tokens()).filter((t) => !t.revoked_ms);
			fill(list, tokens.length === 0 ? h('p', { class: 'muted' }, 'No API tokens.') : h('ul', { class: 'items' }, ...tokens.map((t) =>
				h('li', {}, h('span', {}, h('strong', {}, t.name), ' ', h('code', {}, `${t.prefix}…`)),
					h('span', { class: 'muted' }, `created ${f.localTime(t.created_ms, zone)} · ${t.last_used_ms ? 'used ' + f.ago(t.last_used_ms, Date.now()) : 'never used'}`),
					h('button', { type: 'button', class: 'small danger', onclick: async () => {
						if (!(await confirmDialog('Revoke token?', `Scripts using “${t.name}” stop working.`, 'Revoke'))) return;
						try { await api.revokeToken(t.id); await load(); } catch (e) { list.appendChild(errorBox(e)); }
					} }, 'Revoke')))));
		} catch (e) {
			fill(list, errorBox(e));
		}
	}
	void load();
	return h('section', { class: 'panel', id: 'tokens' }, h('h2', {}, 'API tokens'),
		h('p', { class: 'muted' }, 'For scripts and Prometheus: send “Authorization: Bearer <token>”.'), form, shown, list);
}

function sessionsSection(zone: string): HTMLElement {
	const list = h('div', {}, h('div', { class: 'bone block' }));
	async function load(): Promise<void> {
		try {
			// This browser's session first, then the most recently used.
			const sessions = (await api.sessions()).sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_ms - a.last_seen_ms);
			fill(list, h('ul', { class: 'items' }, ...sessions.map((s) =>
				h('li', {}, h('span', {}, h('strong', { title: s.user_agent ?? '' }, f.browserName(s.user_agent)), s.current ? h('span', { class: 'tag' }, 'this one') : ''),
					h('span', { class: 'muted' }, `${VIA[s.via] ?? s.via} · ${s.ip} · last seen ${f.ago(s.last_seen_ms, Date.now())} · expires ${f.localTime(s.expires_ms, zone)}`),
					s.current ? '' : h('button', { type: 'button', class: 'small danger', onclick: async () => {
						try { await api.revokeSession(s.id); await load(); } catch (e) { list.appendChild(errorBox(e)); }
					} }, 'Revoke')))));
		} catch (e) {
			fill(list, errorBox(e));
		}
	}
	void load();
	const logout = h('button', { type: 'button', class: 'danger' }, 'Log out');
	logout.addEventListener('click', async () => {
		try {
			await api.logout();
		} finally {
			location.href = '/';
		}
	});
	return h('section', { class: 'panel', id: 'sessions' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Sessions'), logout), list);
}

export const settingsPage: Page = (root, ctx) => {
	fill(root,
		h('div', { class: 'toolbar' }, h('h1', {}, 'Settings'), h('span', { class: 'muted' }, `Logged in as ${ctx.me.name}`)),
		h('nav', { class: 'subnav', 'aria-label': 'Settings sections' },
			h('a', { href: '#thresholds' }, 'Thresholds'), h('a', { href: '#notifications' }, 'Notifications'),
			h('a', { href: '#tokens' }, 'API tokens'), h('a', { href: '#sessions' }, 'Sessions')),
		thresholdsSection(ctx), notifySection(), tokensSection(ctx.zone), sessionsSection(ctx.zone));
};
