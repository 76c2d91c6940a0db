// The dashboard's words in English and Simplified Chinese: t(key, vars) looks a key up in the
// current language's table and fills its {placeholders}. The language is the user's Telegram
// language (GET /api/v1/me's `language`: "zh…" is Chinese, anything else English) unless this
// browser chose one in Settings (kept in localStorage). Chinese reuses the bot's terms
// (serversan/server/bot/i18n/*_zh.cpp): 服务器, 告警, 阈值, 静音, 离线, 免打扰.
import { EN, type Key } from './i18n_en';
import { ZH } from './i18n_zh';

export type Lang = 'en' | 'zh';
export type { Key };
export const TABLES: Record<Lang, Record<Key, string>> = { en: EN, zh: ZH };

const KEY = 'ss-lang';
let current: Lang = 'en';

/** "zh", "zh-hans", "zh-CN" → zh; anything else (or nothing) → en. */
export function langOf(tag: string | null | undefined): Lang {
	return (tag ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** What this browser chose in Settings, if anything. */
export function savedLang(): Lang | null {
	try {
		const v = localStorage.getItem(KEY);
		return v === 'en' || v === 'zh' ? v : null;
	} catch {
		return null;
	}
}

/** Keeps (or with null forgets) this browser's choice. */
export function saveLang(l: Lang | null): void {
	try {
		if (l) localStorage.setItem(KEY, l);
		else localStorage.removeItem(KEY);
	} catch {
		// Storage refused (private mode): the choice lasts until the page is reloaded.
	}
}

export function setLang(l: Lang): void {
	current = l;
	if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

export const lang = (): Lang => current;
/** The locale for Intl formatters. */
export const locale = (): string => (current === 'zh' ? 'zh-CN' : 'en');

/** The text of key in the current language, {name} replaced by vars.name. */
export function t(key: Key, vars?: Record<string, string | number>): string {
	const s = TABLES[current][key] ?? EN[key] ?? key;
	return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

/** key + ".one" for n = 1 when the language has such a form (English "1 core"), else key. */
export function tn(key: Key, n: number, vars?: Record<string, string | number>): string {
	const one = `${key}.one` as Key;
	return t(n === 1 && one in TABLES[current] ? one : key, { n, ...vars });
}

/** The {placeholders} of a text, sorted (the catalogue test compares them across languages). */
export const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
