// What every page gets: who is logged in (for the time zone) and a way to be told when it is left.
import type { Me } from './api';
import type { Lang } from './i18n';

export interface Ctx {
	me: Me;
	/** The user's IANA zone for every time shown. */
	zone: string;
	/** Navigates without reloading (pushState + render). */
	go: (path: string) => void;
	/** Registers what to undo when the page is left (close a stream, destroy charts). */
	onLeave: (f: () => void) => void;
	/** Settings' language switch (null: the user's Telegram language). */
	setLanguage: (l: Lang | null) => void;
}

export type Page = (root: HTMLElement, ctx: Ctx, params: Record<string, string>) => void | Promise<void>;
