// Alerts firing now (live from the stream) and the event history with "older" paging.
import { api, stream, type Alert, type Event } from '../api';
import type { Page } from '../app';
import { errorBox, fill, h, link } from '../dom';
import * as f from '../format';
import { mergeAlert } from '../live';
import { KINDS } from '../metrics';

const kindLabel = (k: string, device: string) => `${KINDS[k]?.label ?? k}${device ? ` ${device}` : ''}`;

export function alertList(alerts: Alert[], zone: string, withServer: boolean): HTMLElement {
	if (alerts.length === 0) return h('p', { class: 'ok-note' }, '✓ No alerts firing.');
	return h('ul', { class: 'alerts' }, ...alerts.map((a) => {
		const unit = KINDS[a.kind]?.unit ?? '';
		return h('li', { class: `alert sev-${a.severity} st-${a.state}` },
			h('span', { class: 'sev' }, a.state === 'pending' ? 'pending' : a.severity),
			h('span', { class: 'what' },
				withServer ? link(`/servers/${a.server}`, {}, a.server_name) : null, withServer ? ' · ' : null,
				kindLabel(a.kind, a.device), ' ',
				h('strong', {}, unit === 'minutes' ? '' : f.byUnit(unit, a.value)),
				a.threshold !== null && unit !== 'minutes' ? h('span', { class: 'muted' }, ` (limit ${f.byUnit(unit, a.threshold)})`) : null),
			h('span', { class: 'when muted', title: f.localTime(a.since_ms, zone) }, `since ${f.shortTime(a.since_ms, zone, Date.now())}`));
	}));
}

export function eventList(events: Event[], zone: string, withServer: boolean): HTMLElement {
	if (events.length === 0) return h('p', { class: 'muted' }, 'No events yet.');
	return h('ul', { class: 'events' }, ...events.map((e) => eventItem(e, zone, withServer)));
}

function eventItem(e: Event, zone: string, withServer: boolean): HTMLElement {
	return h('li', {},
		h('time', { datetime: new Date(e.ts_ms).toISOString(), title: f.localTime(e.ts_ms, zone) }, f.shortTime(e.ts_ms, zone, Date.now())),
		h('span', { class: `ev ev-${e.kind}` }, e.kind.replace(/_/g, ' ')),
		withServer ? link(`/servers/${e.server}`, {}, e.server_name) : null,
		h('span', { class: 'detail' }, e.detail));
}

export const alertsPage: Page = async (root, ctx) => {
	const firing = h('section', { class: 'panel' }, h('h2', {}, 'Firing now'), h('div', { class: 'bone block' }));
	const history = h('section', { class: 'panel' }, h('h2', {}, 'Events'), h('div', { class: 'bone block' }));
	fill(root, h('div', { class: 'toolbar' }, h('h1', {}, 'Alerts and events')), firing, history);

	let alerts: Alert[] = [];
	const drawAlerts = () => fill(firing, h('h2', {}, 'Firing now'), alertList(alerts, ctx.zone, true));
	try {
		alerts = await api.alerts();
		drawAlerts();
	} catch (e) {
		fill(firing, h('h2', {}, 'Firing now'), errorBox(e));
	}
	ctx.onLeave(stream({ alert: (a) => { alerts = mergeAlert(alerts, a); drawAlerts(); } }));

	const list = h('ul', { class: 'events' });
	const more = h('button', { type: 'button' }, 'Older events');
	let oldest: number | undefined;
	const load = async () => {
		more.disabled = true;
		try {
			const ev = await api.events(undefined, oldest, 50);
			for (const e of ev) list.appendChild(eventItem(e, ctx.zone, true));
			if (ev.length) oldest = ev[ev.length - 1].ts_ms;
			more.hidden = ev.length < 50;
			if (!list.children.length) fill(history, h('h2', {}, 'Events'), h('p', { class: 'muted' }, 'No events yet.'));
		} catch (e) {
			history.appendChild(errorBox(e));
		}
		more.disabled = false;
	};
	more.addEventListener('click', load);
	fill(history, h('h2', {}, 'Events'), list, more);
	await load();
};
