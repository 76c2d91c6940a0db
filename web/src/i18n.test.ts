import { afterEach, describe, expect, it } from 'vitest';
import { ago, browserName, count, duration } from './format';
import { langOf, placeholders, setLang, t, TABLES, tn } from './i18n';

// The tests run in node: a stand-in for the one thing setLang touches.
(globalThis as any).document ??= { documentElement: { lang: '' } };
afterEach(() => setLang('en'));

describe('the catalogue (i18n.ts)', () => {
	it('English and Chinese have exactly the same keys', () => {
		expect(Object.keys(TABLES.zh).sort()).toEqual(Object.keys(TABLES.en).sort());
	});
	it('every text has the same {placeholders} in both languages', () => {
		const differ = Object.keys(TABLES.en).filter((k) => {
			const key = k as keyof typeof TABLES.en;
			return placeholders(TABLES.en[key]).join() !== placeholders(TABLES.zh[key]).join();
		});
		expect(differ).toEqual([]);
	});
	it('no text is empty, and the Chinese table is Chinese where English has words', () => {
		for (const l of ['en', 'zh'] as const) for (const [k, v] of Object.entries(TABLES[l])) expect(v.trim(), `${l} ${k}`).not.toBe('');
		const same = Object.keys(TABLES.en).filter((k) => {
			const key = k as keyof typeof TABLES.en;
			return TABLES.en[key] === TABLES.zh[key] && /[a-z]{3,}/.test(TABLES.en[key].replace(/\{\w+\}/g, ''));
		});
		// Only what reads the same in both: the name English has for itself.
		expect(same).toEqual(['lang.en']);
	});
	it('the language: zh* is Chinese, anything else English', () => {
		expect(langOf('zh')).toBe('zh');
		expect(langOf('zh-hans')).toBe('zh');
		expect(langOf('ZH-CN')).toBe('zh');
		expect(langOf('en')).toBe('en');
		expect(langOf('de')).toBe('en');
		expect(langOf('')).toBe('en');
		expect(langOf(undefined)).toBe('en');
	});
	it('t() fills placeholders and sets <html lang>', () => {
		setLang('zh');
		expect(document.documentElement.lang).toBe('zh-CN');
		expect(t('delete.ask', { name: 'web-1' })).toBe('删除“web-1”？');
		expect(tn('list.cores', 4)).toBe('4 核');
		setLang('en');
		expect(document.documentElement.lang).toBe('en');
		expect(t('delete.ask', { name: 'web-1' })).toBe('Delete “web-1”?');
		expect(tn('list.cores', 1)).toBe('1 core');
		expect(tn('list.cores', 8)).toBe('8 cores');
		expect(t('compare.servers')).toBe('Servers (up to {max})'); // a missing value stays visible
	});
});

describe('formatting in each language', () => {
	it('durations and relative times', () => {
		setLang('en');
		expect(duration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
		expect(ago(0, 180_000)).toBe('3 min ago');
		setLang('zh');
		// Number and unit joined by a no-break space (U+00A0), the pairs by a plain one.
		expect(duration(40)).toBe('40\u00a0秒');
		expect(duration(7 * 60 + 3)).toBe('7\u00a0分钟');
		expect(duration(5 * 3600 + 12 * 60)).toBe('5\u00a0小时 12\u00a0分钟');
		expect(duration(3 * 86400 + 4 * 3600 + 60)).toBe('3\u00a0天 4\u00a0小时');
		expect(ago(0, 180_000)).toBe('3\u00a0分钟前');
		expect(ago(1000, 5000)).toBe('刚刚');
		expect(ago(null, 1)).toBe('从未');
		expect(duration(null)).toBe('–');
	});
	it('counts group digits by the language', () => {
		setLang('zh');
		expect(count(1234567)).toBe('1,234,567');
		setLang('en');
		expect(count(1234567)).toBe('1,234,567');
	});
	it('a browser by name', () => {
		const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
		setLang('zh');
		expect(browserName(ua)).toBe('Chrome 142（Linux）');
		expect(browserName('')).toBe('未知浏览器');
		setLang('en');
		expect(browserName(ua)).toBe('Chrome 142 on Linux');
	});
});
