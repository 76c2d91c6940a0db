// A few lines instead of a framework: h() builds elements, text is always set as text (never as
// HTML), so a server name like "<b>x" shows as typed.
import { t } from './i18n';
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: any) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === null || v === undefined || v === false) continue;
		if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
		else if (k === 'class') el.className = String(v);
		// Through the CSSOM: the server's CSP (style-src 'self') drops style="…" attributes.
		else if (k === 'style') el.style.cssText = String(v);
		else if (v === true) el.setAttribute(k, '');
		else el.setAttribute(k, String(v));
	}
	append(el, children);
	return el;
}

export function append(el: Node, children: Child[]): void {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
	}
}

/** Replaces el's children. */
export function fill(el: Element, ...children: Child[]): void {
	el.replaceChildren();
	append(el, children);
}

/** A link that the router follows without reloading the page. */
export function link(href: string, attrs: Attrs, ...children: Child[]): HTMLAnchorElement {
	return h('a', { href, 'data-nav': true, ...attrs }, ...children);
}

/** A plain error box for an API error (the server's message as it was sent). */
export function errorBox(e: unknown): HTMLElement {
	const msg = e instanceof Error ? e.message : String(e);
	return h('div', { class: 'error', role: 'alert' }, h('strong', {}, t('err.prefix')), msg);
}

/** A modal dialog (native <dialog>: focus trap and Esc for free). Returns it opened. */
export function dialog(title: string, body: Child[], onClose?: () => void): HTMLDialogElement {
	const d = h('dialog', { class: 'dialog', 'aria-label': title },
		h('div', { class: 'dialog-head' }, h('h2', {}, title),
			h('button', { class: 'icon', type: 'button', 'aria-label': t('dlg.close'), onclick: () => d.close() }, '✕')),
		h('div', { class: 'dialog-body' }, body));
	d.addEventListener('close', () => {
		d.remove();
		onClose?.();
	});
	document.body.appendChild(d);
	d.showModal();
	return d;
}

/** A confirmation dialog; resolves true when the user pressed the confirming button. */
export function confirmDialog(title: string, text: string, confirm: string): Promise<boolean> {
	return new Promise((resolve) => {
		let ok = false;
		const d = dialog(title, [
			h('p', {}, text),
			h('div', { class: 'actions' },
				h('button', { type: 'button', onclick: () => d.close() }, t('dlg.cancel')),
				h('button', { type: 'button', class: 'danger', onclick: () => { ok = true; d.close(); } }, confirm)),
		], () => resolve(ok));
	});
}

/** A text with a Copy button (install lines, API tokens). */
export function copyBox(text: string, label = t('copy.copy')): HTMLElement {
	const btn = h('button', { type: 'button', class: 'copy' }, label);
	btn.addEventListener('click', async () => {
		try {
			await navigator.clipboard.writeText(text);
		} catch {
			// Without the clipboard API (plain http on another host): select the text instead.
			const r = document.createRange();
			r.selectNodeContents(box.querySelector('code')!);
			getSelection()?.removeAllRanges();
			getSelection()?.addRange(r);
			document.execCommand?.('copy');
		}
		btn.textContent = t('copy.copied');
		setTimeout(() => (btn.textContent = label), 1500);
	});
	const box = h('div', { class: 'copybox' }, h('code', {}, text), btn);
	return box;
}
