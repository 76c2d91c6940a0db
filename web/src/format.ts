// Humane numbers and times, by the same rules as the bot (serversan/core/units.cpp and
// bot/views/time_format.cpp): binary sizes (KiB = 1024 B), rates in the same units + "/s", three
// significant digits at most, one decimal below 10 % for shares. Unknown values (null) are "–",
// never a made-up zero. Times are shown in the user's zone (GET /api/v1/me's time_zone). Words
// (units of time, "ago", "never") in the current language (i18n.ts); numbers and dates read the
// same in English and Chinese ("2026-12-07 15:42", "51.3 GiB"), grouping by the language's Intl.
import { locale, t } from './i18n';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export const DASH = '–';

type Num = number | null | undefined;
const known = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);

function scale(bytes: number): [number, number] {
	let v = Math.max(0, bytes);
	let u = 0;
	const rounded = (x: number) => (x < 100 ? Math.round(x * 10) / 10 : Math.round(x));
	while (u + 1 < UNITS.length && rounded(v) >= 1024) {
		v /= 1024;
		u++;
	}
	return [v, u];
}

const threeDigits = (v: number) => (v < 99.95 ? v.toFixed(1) : v.toFixed(0));

/** "0 B", "980 B", "1.5 KiB", "51.3 GiB", "394 MiB". */
export function bytes(b: Num): string {
	if (!known(b)) return DASH;
	const [v, u] = scale(b);
	return u === 0 ? `${v.toFixed(0)} B` : `${threeDigits(v)} ${UNITS[u]}`;
}

/** bytes() + "/s". */
export function rate(b: Num): string {
	return known(b) ? `${bytes(b)}/s` : DASH;
}

/** "0%", "0.1%", "9.5%", "39%", "100%"; clamped to 0..100. */
export function percent(p: Num): string {
	if (!known(p)) return DASH;
	const c = Math.min(100, Math.max(0, p));
	return (c >= 0.05 && c < 9.95 ? c.toFixed(1) : c.toFixed(0)) + '%';
}

/** Load averages: "0.42", "3.75", "12.3", "128". */
export function load(l: Num): string {
	if (!known(l)) return DASH;
	const c = Math.max(0, l);
	return c < 9.995 ? c.toFixed(2) : c < 99.95 ? c.toFixed(1) : c.toFixed(0);
}

/** "1,234,567". */
export function count(n: Num): string {
	return known(n) ? Math.round(n).toLocaleString(locale()) : DASH;
}

/** "3 d 4 h", "5 h 12 min", "7 min", "40 s" ("3 天 4 小时", "7 分钟"): the two largest units, as
 * the bot says it (bot/views/time_format.cpp). */
export function duration(seconds: Num): string {
	if (!known(seconds)) return DASH;
	const s = Math.max(0, Math.floor(seconds));
	const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
	const pair = (a: string, n: number, unit: 'unit.h' | 'unit.min') => (n === 0 ? a : `${a} ${t(unit, { n })}`);
	if (d > 0) return pair(t('unit.d', { n: d }), h, 'unit.h');
	if (h > 0) return pair(t('unit.h', { n: h }), m, 'unit.min');
	if (m > 0) return t('unit.min', { n: m });
	return t('unit.s', { n: s % 60 });
}

/** "just now" under 10 s, else "5 min ago" ("刚刚", "5 分钟前"). */
export function ago(thenMs: Num, nowMs: number): string {
	if (!known(thenMs)) return t('time.never');
	const s = Math.floor((nowMs - thenMs) / 1000);
	return s < 10 ? t('time.just_now') : t('time.ago', { time: duration(s) });
}

/** A value of a metric's unit as the API names it (docs/api.md: Series.unit). */
export function byUnit(unit: string, v: Num): string {
	switch (unit) {
		case 'percent':
		case '%':
			return percent(v);
		case 'bytes':
			return bytes(v);
		case 'bytes_per_s':
		case 'B/s':
			return rate(v);
		case 'celsius':
			return known(v) ? `${v.toFixed(0)} °C` : DASH;
		default:
			return load(v);
	}
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(ms: number, zone: string): Record<string, string> {
	const key = zone || 'UTC';
	let f = formatters.get(key);
	if (!f) {
		try {
			f = new Intl.DateTimeFormat('en-GB', {
				timeZone: key, year: 'numeric', month: '2-digit', day: '2-digit',
				hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset',
			});
		} catch {
			f = new Intl.DateTimeFormat('en-GB', {
				timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
				hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset',
			});
		}
		formatters.set(key, f);
	}
	const out: Record<string, string> = {};
	for (const p of f.formatToParts(ms)) out[p.type] = p.value;
	// "GMT+1" → "UTC+1", "GMT" → "UTC", as the bot labels offsets.
	out.timeZoneName = (out.timeZoneName || 'GMT').replace('GMT', 'UTC').replace(/^UTC[+-]0$/, 'UTC');
	return out;
}

/** "2026-12-07 15:42 UTC+1" in the zone. */
export function localTime(ms: Num, zone: string): string {
	if (!known(ms)) return DASH;
	const p = parts(ms, zone);
	return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "15:42" today, "12-05 15:42" another day (in the zone, without the offset). */
export function shortTime(ms: Num, zone: string, nowMs: number): string {
	if (!known(ms)) return DASH;
	const p = parts(ms, zone), n = parts(nowMs, zone);
	const clock = `${p.hour}:${p.minute}`;
	return p.year === n.year && p.month === n.month && p.day === n.day ? clock : `${p.month}-${p.day} ${clock}`;
}

/** Offset of the zone at ms in seconds (for chart axes drawn in the user's zone). */
export function zoneOffsetS(ms: number, zone: string): number {
	const p = parts(ms, zone);
	const m = /UTC([+-])(\d{1,2})(?::(\d{2}))?/.exec(p.timeZoneName);
	if (!m) return 0;
	const s = Number(m[2]) * 3600 + Number(m[3] || 0) * 60;
	return m[1] === '-' ? -s : s;
}

/** A session's browser as a person names it ("Chrome 142 on Linux"), from its User-Agent; the
 * raw string when it is none of the common ones. */
export function browserName(ua: string | null | undefined): string {
	if (!ua) return t('browser.unknown');
	const pick = (re: RegExp) => ua.match(re);
	const b = pick(/Edg\/(\d+)/) ? ['Edge', pick(/Edg\/(\d+)/)![1]]
		: pick(/OPR\/(\d+)/) ? ['Opera', pick(/OPR\/(\d+)/)![1]]
		: pick(/Firefox\/(\d+)/) ? ['Firefox', pick(/Firefox\/(\d+)/)![1]]
		: pick(/(?:Headless)?Chrom(?:e|ium)\/(\d+)/) ? [ua.includes('Headless') ? 'Headless Chrome' : 'Chrome', pick(/Chrom(?:e|ium)\/(\d+)/)![1]]
		: pick(/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/) ? ['Safari', pick(/Version\/(\d+)/)![1]]
		: null;
	if (!b) return ua.length > 60 ? ua.slice(0, 57) + '…' : ua;
	const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
		: /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : '';
	return os ? t('browser.on', { browser: `${b[0]} ${b[1]}`, os }) : `${b[0]} ${b[1]}`;
}
