// Alerts firing now (live from the stream) and the event history with "older" paging.
import { api, stream, type Alert, type Event } from '../api';
import type { Page } from '../app';
import { errorBox, fill, h, link } from '../dom';
import * as f from '../format';
import { t, TABLES, type Key } from '../i18n';
import { mergeAlert } from '../live';
import { KINDS } from '../metrics';

const kindLabel = (k: string, device: string) => `${KINDS[k]?.label ?? k}${device ? ` ${device}` : ''}`;
/** An event kind in words; one the dashboard does not know yet as the server names it. */
const eventKind = (k: string) => (`ev.${k}` in TABLES.en ? t(`ev.${k}` as Key) : k.replace(/_/g, ' '));

export function alertList(alerts: Alert[], zone: string, withServer: boolean): HTMLElement {
	if (alerts.length === 0) return h('p', { class: 'ok-note' }, t('alerts.none'));
	return h('ul', { class: 'alerts' }, ...alerts.map((a) => {
		const unit = KINDS[a.kind]?.unit ?? '';
		return h('li', { class: `alert sev-${a.severity} st-${a.state}` },
			h('span', { class: 'sev' }, a.state === 'pending' ? t('alerts.pending') : a.severity === 'critical' || a.severity === 'warning' ? t(`sev.${a.severity}`) : a.severity),
			h('span', { class: 'what' },
				withServer ? link(`/servers/${a.server}`, {}, a.server_name) : null, withServer ? ' · ' : null,
				kindLabel(a.kind, a.device), ' ',
				h('strong', {}, unit === 'minutes' ? '' : f.byUnit(unit, a.value)),
				a.threshold !== null && unit !== 'minutes' ? h('span', { class: 'muted' }, t('alerts.limit', { v: f.byUnit(unit, a.threshold) })) : null),
			h('span', { class: 'when muted', title: f.localTime(a.since_ms, zone) }, t('alerts.since', { time: f.shortTime(a.since_ms, zone, Date.now()) })));
	}));
}

export function eventList(events: Event[], zone: string, withServer: boolean): HTMLElement {
	if (events.length === 0) return h('p', { class: 'muted' }, t('events.none'));
	return h('ul', { class: 'events' }, ...events.map((e) => eventItem(e, zone, withServer)));
}

function eventItem(e: Event, zone: string, withServer: boolean): HTMLElement {
	return h('li', {},
		h('time', { datetime: new Date(e.ts_ms).toISOString(), title: f.localTime(e.ts_ms, zone) }, f.shortTime(e.ts_ms, zone, Date.now())),
		h('span', { class: `ev ev-${e.kind}` }, eventKind(e.kind)),
		withServer ? link(`/servers/${e.server}`, {}, e.server_name) : null,
		h('span', { class: 'detail' }, e.detail));
}

export const alertsPage: Page = async (root, ctx) => {
	const firingHead = () => h('h2', {}, t('alerts.firing'));
	const eventsHead = () => h('h2', {}, t('alerts.events'));
	const firing = h('section', { class: 'panel' }, firingHead(), h('div', { class: 'bone block' }));
	const history = h('section', { class: 'panel' }, eventsHead(), h('div', { class: 'bone block' }));
	fill(root, h('div', { class: 'toolbar' }, h('h1', {}, t('alerts.title'))), firing, history);

	let alerts: Alert[] = [];
	const drawAlerts = () => fill(firing, firingHead(), alertList(alerts, ctx.zone, true));
	try {
		alerts = await api.alerts();
		drawAlerts();
	} catch (e) {
		fill(firing, firingHead(), errorBox(e));
	}
	ctx.onLeave(stream({ alert: (a) => { alerts = mergeAlert(alerts, a); drawAlerts(); } }));

	const list = h('ul', { class: 'events' });
	const more = h('button', { type: 'button' }, t('events.older'));
	let oldest: number | undefined;
	const load = async () => {
		more.disabled = true;
		try {
			const ev = await api.events(undefined, oldest, 50);
			for (const e of ev) list.appendChild(eventItem(e, ctx.zone, true));
			if (ev.length) oldest = ev[ev.length - 1].ts_ms;
			more.hidden = ev.length < 50;
			if (!list.children.length) fill(history, eventsHead(), h('p', { class: 'muted' }, t('events.none')));
		} catch (e) {
			history.appendChild(errorBox(e));
		}
		more.disabled = false;
	};
	more.addEventListener('click', load);
	fill(history, eventsHead(), list, more);
	await load();
};
