// Light and dark: the system's choice (prefers-color-scheme) until the user picks one with the
// toggle (kept in localStorage). Inside Telegram the Mini App's theme colours win.
const KEY = 'ss-theme';

export type Theme = 'light' | 'dark';

export function currentTheme(): Theme {
	const saved = localStorage.getItem(KEY);
	if (saved === 'light' || saved === 'dark') return saved;
	return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme = currentTheme()): void {
	document.documentElement.dataset.theme = t;
	window.dispatchEvent(new CustomEvent('ss-theme', { detail: t }));
}

export function toggleTheme(): Theme {
	const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
	localStorage.setItem(KEY, next);
	applyTheme(next);
	return next;
}

/** Telegram's theme params (bg_color, text_color, ...) as CSS variables over ours. */
export function applyTelegramTheme(p: Record<string, string> | undefined, scheme: string | undefined): void {
	if (scheme === 'dark' || scheme === 'light') applyTheme(scheme);
	if (!p) return;
	const map: Record<string, string> = {
		bg_color: '--bg', secondary_bg_color: '--panel', text_color: '--fg', hint_color: '--muted',
		link_color: '--accent', button_color: '--accent', section_separator_color: '--line',
	};
	const style = document.documentElement.style;
	for (const [k, v] of Object.entries(map)) if (p[k]) style.setProperty(v, p[k]);
}

matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
	if (!localStorage.getItem(KEY)) applyTheme();
});
