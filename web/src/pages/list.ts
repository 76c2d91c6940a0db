// The fleet: one row per server, sortable, filterable, kept live by the stream (no polling).
import { api, stream, type ServerSummary } from '../api';
import type { Page } from '../app';
import { copyBox, dialog, errorBox, fill, h, link } from '../dom';
import * as f from '../format';
import { t, tn, type Key } from '../i18n';
import { matchesFilter, mergeStatus, sortServers, type SortKey } from '../live';

const COLUMNS: [SortKey, Key][] = [
	['name', 'list.col.name'], ['state', 'list.col.state'], ['cpu', 'list.col.cpu'], ['ram', 'list.col.ram'], ['disk', 'list.col.disk'],
	['net', 'list.col.net'], ['load', 'list.col.load'], ['uptime', 'list.col.uptime'], ['last_seen', 'list.col.last_seen'],
];
const col = (k: SortKey) => t(COLUMNS.find(([c]) => c === k)![1]);

export const cores = (n: number) => tn('list.cores', n);

/** A share with a bar; the bar's colour says warning (≥ 80) or critical (≥ 95). */
export function meter(p: number | null, sub?: string): HTMLElement {
	const level = p === null ? '' : p >= 95 ? 'crit' : p >= 80 ? 'warn' : '';
	return h('div', { class: `meter ${level}` },
		h('span', { class: 'meter-value' }, f.percent(p)),
		h('span', { class: 'meter-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${p === null ? 0 : Math.min(100, Math.max(0, p))}%` })),
		sub ? h('span', { class: 'meter-sub' }, sub) : null);
}

/** A Telegram group's server: the group's name (or "Telegram group"), and whether this user is one of its admins. */
export function groupBadge(g: NonNullable<ServerSummary['group']>): HTMLElement {
	const name = g.title || t('group.unnamed');
	return h('span', { class: 'tag group', title: t(g.admin ? 'group.admin_title' : 'group.member_title', { name }) },
		g.title ? t('group.badge', { name }) : name);
}

export function stateBadge(state: string, firing = 0): HTMLElement {
	const label = t(state === 'online' ? 'state.online' : state === 'offline' ? 'state.offline' : 'state.waiting');
	return h('span', { class: `state state-${state}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), label,
		firing > 0 ? h('span', { class: 'firing', title: tn('state.firing', firing) }, `⚠ ${firing}`) : null);
}

function cells(s: ServerSummary, now: number): HTMLElement[] {
	// data-key names the column for tests and styles; data-label is the phone's caption, in words.
	const td = (key: SortKey, ...c: (Node | string)[]) => h('td', { 'data-key': key, 'data-label': col(key), role: 'cell' }, ...c);
	return [
		h('td', { class: 'name', role: 'cell' },
			link(`/servers/${s.id}`, { class: 'server-link' }, s.name),
			h('span', { class: 'sub' }, [s.hostname, s.os].filter(Boolean).join(' · ') || t('list.no_report')),
			s.tags.length || s.group ? h('span', { class: 'tags' }, ...(s.group ? [groupBadge(s.group)] : []), ...s.tags.map((t) => h('span', { class: 'tag' }, t))) : ''),
		td('state', stateBadge(s.state, s.firing)),
		td('cpu', meter(s.cpu, s.cores ? cores(s.cores) : undefined)),
		td('ram', meter(s.ram, s.ram_total ? t('list.of', { total: f.bytes(s.ram_total) }) : undefined)),
		td('disk', meter(s.disk, s.disk_total ? t('list.of', { total: f.bytes(s.disk_total) }) + (s.disk_mount && s.disk_mount !== '/' ? ` ${s.disk_mount}` : '') : undefined)),
		td('net', h('span', { class: 'net' }, h('span', { title: t('list.received') }, `↓ ${f.rate(s.net_rx)}`), h('span', { title: t('list.sent') }, `↑ ${f.rate(s.net_tx)}`))),
		td('load', f.load(s.load1)),
		td('uptime', f.duration(s.uptime_s)),
		td('last_seen', h('span', { class: 'ago', 'data-ms': s.last_seen_ms ?? '' }, f.ago(s.last_seen_ms, now))),
	];
}

function skeletonRows(n: number): HTMLElement[] {
	return Array.from({ length: n }, () => h('tr', { class: 'skeleton' }, ...COLUMNS.map(() => h('td', {}, h('span', { class: 'bone' })))));
}

export const listPage: Page = async (root, ctx) => {
	const params = new URLSearchParams(location.search);
	let sortKey = (params.get('sort') as SortKey) || 'name';
	let desc = params.get('desc') === '1';
	let filter = params.get('q') ?? '';
	let servers: ServerSummary[] = [];
	let skew = 0; // server clock minus ours, so "ago" is right even when this machine's clock is off
	const rows = new Map<number, HTMLTableRowElement>();

	const tbody = h('tbody', { role: 'rowgroup' }, ...skeletonRows(8));
	const count = h('span', { class: 'count', 'aria-live': 'polite' }, '');
	const live = h('span', { class: 'live off', title: t('list.live_title') }, t('list.connecting'));
	const head = h('tr', { role: 'row' }, ...COLUMNS.map(([key, label]) => {
		const b = h('button', { type: 'button', class: 'sort', 'data-key': key }, t(label));
		b.addEventListener('click', () => {
			if (sortKey === key) desc = !desc;
			else { sortKey = key; desc = key !== 'name' && key !== 'state'; }
			saveParams();
			draw();
		});
		return h('th', { scope: 'col', 'data-key': key, role: 'columnheader' }, b);
	}));
	const search = h('input', { type: 'search', class: 'filter', placeholder: t('list.filter'), 'aria-label': t('list.filter_label'), value: filter });
	search.addEventListener('input', () => { filter = search.value; saveParams(); applyFilter(); });
	const addBtn = h('button', { type: 'button', class: 'primary' }, t('list.add'));
	addBtn.addEventListener('click', () => addDialog(ctx.go));

	const tableWrap = h('div', { class: 'table-wrap' }, h('table', { class: 'servers', role: 'table', 'aria-label': t('nav.servers') }, h('thead', { role: 'rowgroup' }, head), tbody));
	fill(root,
		h('div', { class: 'toolbar' }, h('h1', {}, t('nav.servers')), count, live, h('span', { class: 'grow' }), search, addBtn),
		tableWrap);

	function saveParams(): void {
		const p = new URLSearchParams();
		if (sortKey !== 'name') p.set('sort', sortKey);
		if (desc) p.set('desc', '1');
		if (filter) p.set('q', filter);
		const s = p.toString();
		history.replaceState(null, '', s ? `/?${s}` : '/');
	}

	function applyFilter(): void {
		let shown = 0;
		for (const s of servers) {
			const ok = matchesFilter(s, filter);
			rows.get(s.id)!.hidden = !ok;
			if (ok) shown++;
		}
		count.textContent = shown === servers.length ? `${servers.length}` : t('list.shown_of', { shown, total: servers.length });
		empty.hidden = servers.length > 0 && shown > 0;
		// A new user sees how to start, not an empty table's headers.
		tableWrap.hidden = servers.length === 0;
		if (servers.length === 0)
			fill(empty, h('strong', {}, t('list.none_title')), h('br'), t('list.none_1'), h('code', {}, '/add NAME'), t('list.none_2'));
		else empty.textContent = t('list.no_match');
	}
	const empty = h('p', { class: 'empty', hidden: true }, '');
	root.appendChild(empty);

	function draw(): void {
		for (const th of head.children) {
			const k = (th as HTMLElement).dataset.key;
			th.setAttribute('aria-sort', k === sortKey ? (desc ? 'descending' : 'ascending') : 'none');
		}
		const now = Date.now() + skew;
		const frag = document.createDocumentFragment();
		for (const s of sortServers(servers, sortKey, desc)) {
			let tr = rows.get(s.id);
			if (!tr) {
				tr = h('tr', { 'data-id': s.id, role: 'row' }, ...cells(s, now));
				rows.set(s.id, tr);
			}
			frag.appendChild(tr);
		}
		tbody.replaceChildren(frag);
		applyFilter();
	}

	function update(s: ServerSummary): void {
		const result = mergeStatus(servers, s);
		if (result === 'stale') return;
		const merged = servers.find((x) => x.id === s.id)!;
		if (result === 'added') return draw();
		const tr = rows.get(s.id)!;
		tr.replaceChildren(...cells(merged, Date.now() + skew));
		tr.hidden = !matchesFilter(merged, filter);
	}

	try {
		const r = await api.servers();
		performance.mark('ss:servers');
		skew = r.now_ms - Date.now();
		servers = r.servers;
	} catch (e) {
		fill(tbody);
		root.appendChild(errorBox(e));
		return;
	}
	draw();
	performance.mark('ss:rows');
	// For web/test/bench.mjs: from navigation start to the first frame with every row in it.
	requestAnimationFrame(() => setTimeout(() => Object.assign(window, { __ssListPainted: performance.now() })));

	let lost: ReturnType<typeof setTimeout> | undefined;
	ctx.onLeave(stream({
		status: update,
		// The server ends a stream now and then (it is checked again on reconnect, within a
		// second): "reconnecting" shows only for a loss that lasts.
		connection: (open) => {
			clearTimeout(lost);
			const show = () => {
				live.className = `live ${open ? 'on' : 'off'}`;
				live.textContent = t(open ? 'list.live' : 'list.reconnecting');
			};
			if (open) show();
			else lost = setTimeout(show, 3000);
		},
	}));
	ctx.onLeave(() => clearTimeout(lost));
	// "12 s ago" ages by itself between reports: a local clock tick, no request.
	const tick = setInterval(() => {
		const now = Date.now() + skew;
		for (const el of tbody.querySelectorAll<HTMLElement>('.ago')) {
			const ms = el.dataset.ms ? Number(el.dataset.ms) : null;
			el.textContent = f.ago(ms, now);
		}
	}, 5000);
	ctx.onLeave(() => clearInterval(tick));
};

function addDialog(go: (p: string) => void): void {
	const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 64, autocomplete: 'off', placeholder: 'web-1', 'aria-label': t('add.name_label') });
	const out = h('div', { class: 'dialog-result' });
	const submit = h('button', { type: 'submit', class: 'primary' }, t('add.submit'));
	const form = h('form', { class: 'stack' },
		h('label', {}, t('add.name'), name),
		h('p', { class: 'muted' }, t('add.hint')),
		h('div', { class: 'actions' }, submit), out);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		submit.disabled = true;
		try {
			const r = await api.addServer(name.value.trim());
			fill(out,
				h('p', {}, t('add.done', { name: r.server.name })),
				copyBox(r.install),
				h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { d.close(); go(`/servers/${r.server.id}`); } }, t('add.open'))));
			name.disabled = true;
			submit.hidden = true;
		} catch (e) {
			fill(out, errorBox(e));
			submit.disabled = false;
		}
	});
	const d = dialog(t('add.title'), [form]);
	name.focus();
}
