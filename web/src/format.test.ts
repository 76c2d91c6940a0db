import { describe, expect, it } from 'vitest';
import { ago, browserName, bytes, byUnit, count, duration, load, localTime, percent, rate, shortTime, zoneOffsetS } from './format';

describe('format (the bot rules of serversan/core/units.cpp)', () => {
	it('sizes are binary with three significant digits', () => {
		expect(bytes(0)).toBe('0 B');
		expect(bytes(980)).toBe('980 B');
		expect(bytes(1536)).toBe('1.5 KiB');
		expect(bytes(51.3 * 1024 ** 3)).toBe('51.3 GiB');
		expect(bytes(394 * 1024 ** 2)).toBe('394 MiB');
		expect(bytes(2 * 1024 ** 4)).toBe('2.0 TiB');
		// 1023.99 KiB rounds up to the next unit, never "1024 KiB".
		expect(bytes(1023.99 * 1024)).toBe('1.0 MiB');
	});
	it('unknown is a dash, never zero', () => {
		expect(bytes(null)).toBe('–');
		expect(percent(undefined)).toBe('–');
		expect(rate(NaN)).toBe('–');
		expect(load(null)).toBe('–');
	});
	it('rates, shares, loads, counts', () => {
		expect(rate(93 * 1024)).toBe('93.0 KiB/s');
		expect(percent(0)).toBe('0%');
		expect(percent(0.1)).toBe('0.1%');
		expect(percent(9.5)).toBe('9.5%');
		expect(percent(39.4)).toBe('39%');
		expect(percent(100.0001)).toBe('100%');
		expect(load(0.424)).toBe('0.42');
		expect(load(12.34)).toBe('12.3');
		expect(load(128.2)).toBe('128');
		expect(count(1234567)).toBe('1,234,567');
		expect(byUnit('percent', 50)).toBe('50%');
		expect(byUnit('bytes_per_s', 2048)).toBe('2.0 KiB/s');
		expect(byUnit('celsius', 61.2)).toBe('61 °C');
	});
	it('durations and ago', () => {
		expect(duration(40)).toBe('40 s');
		expect(duration(7 * 60 + 3)).toBe('7 min');
		expect(duration(5 * 3600 + 12 * 60)).toBe('5 h 12 min');
		expect(duration(3 * 86400 + 4 * 3600 + 60)).toBe('3 d 4 h');
		expect(duration(2 * 86400)).toBe('2 d');
		expect(ago(1000, 5000)).toBe('just now');
		expect(ago(0, 300_000)).toBe('5 min ago');
		expect(ago(null, 1)).toBe('never');
	});
	it('times are in the user zone with the offset', () => {
		const t = Date.UTC(2026, 11, 7, 14, 42);
		expect(localTime(t, 'Europe/Berlin')).toBe('2026-12-07 15:42 UTC+1');
		expect(localTime(t, 'UTC')).toBe('2026-12-07 14:42 UTC');
		expect(localTime(t, 'Asia/Kolkata')).toBe('2026-12-07 20:12 UTC+5:30');
		expect(localTime(t, 'No/Such_Zone')).toBe('2026-12-07 14:42 UTC');
		expect(shortTime(t, 'UTC', t + 3600_000)).toBe('14:42');
		expect(shortTime(t, 'UTC', t + 86400_000)).toBe('12-07 14:42');
		expect(zoneOffsetS(t, 'Asia/Kolkata')).toBe(19800);
		expect(zoneOffsetS(t, 'America/New_York')).toBe(-18000);
	});
	it('a session names its browser as a person would', () => {
		expect(browserName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36')).toBe('Headless Chrome 156 on Linux');
		expect(browserName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0')).toBe('Edge 142 on Windows');
		expect(browserName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1')).toBe('Safari 18 on iOS');
		expect(browserName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 on macOS');
		expect(browserName('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36')).toBe('Chrome 142 on Android');
		expect(browserName('curl/8.5.0')).toBe('curl/8.5.0');
		expect(browserName('')).toBe('unknown browser');
	});
});
