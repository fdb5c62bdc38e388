import type { MessageKey } from '$lib/i18n';

/** The header's links: adding a page is one line here (and its label in en.ts / zh.ts). */
export interface NavItem {
	href: string;
	label: MessageKey;
	testid: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
	{ href: '/', label: 'nav.toolbox', testid: 'nav-toolbox' },
	{ href: '/idphoto', label: 'nav.idphoto', testid: 'nav-idphoto' },
	{ href: '/privacy', label: 'nav.privacy', testid: 'nav-privacy' },
	{ href: '/background', label: 'nav.background', testid: 'nav-background' },
	{ href: '/analyze', label: 'nav.analyze', testid: 'nav-analyze' },
	{ href: '/console', label: 'nav.console', testid: 'nav-console' },
	{ href: '/settings', label: 'nav.settings', testid: 'nav-settings' }
];

/** `/console` is active on `/console` and `/console/x`; `/` only on `/`. */
export function isActive(href: string, pathname: string): boolean {
	const p = pathname.replace(/\/+$/, '') || '/';
	return href === '/' ? p === '/' : p === href || p.startsWith(href + '/');
}
