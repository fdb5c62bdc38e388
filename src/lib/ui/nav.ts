import type { MessageKey } from '$lib/i18n';

/** The header's links: adding a page is one line here (and its label in en.ts / zh.ts). */
export interface NavItem {
	href: string;
	label: MessageKey;
	testid: string;
	/** Items of a group sit in one menu of the header, where the group's first item would be. */
	group?: NavGroup;
}

export type NavGroup = 'library';
export const NAV_GROUP_LABELS: Record<NavGroup, MessageKey> = { library: 'nav.group.library' };

export const NAV_ITEMS: readonly NavItem[] = [
	{ href: '/', label: 'nav.toolbox', testid: 'nav-toolbox' },
	{ href: '/idphoto', label: 'nav.idphoto', testid: 'nav-idphoto' },
	{ href: '/privacy', label: 'nav.privacy', testid: 'nav-privacy' },
	{ href: '/remove', label: 'nav.remove', testid: 'nav-remove' },
	{ href: '/background', label: 'nav.background', testid: 'nav-background' },
	{ href: '/analyze', label: 'nav.analyze', testid: 'nav-analyze' },
	{ href: '/library', label: 'nav.library', testid: 'nav-library', group: 'library' },
	{ href: '/batch', label: 'nav.batch', testid: 'nav-batch', group: 'library' },
	{ href: '/transformations', label: 'nav.transformations', testid: 'nav-transformations', group: 'library' },
	{ href: '/console', label: 'nav.console', testid: 'nav-console' },
	{ href: '/settings', label: 'nav.settings', testid: 'nav-settings' }
];

/** `/console` is active on `/console` and `/console/x`; `/` only on `/`. */
export function isActive(href: string, pathname: string): boolean {
	const p = pathname.replace(/\/+$/, '') || '/';
	return href === '/' ? p === '/' : p === href || p.startsWith(href + '/');
}

/** The header's entries in order: a link, or a group's menu in place of its first item. */
export type NavEntry = { kind: 'link'; item: NavItem } | { kind: 'group'; group: NavGroup; items: NavItem[] };

export function navEntries(items: readonly NavItem[] = NAV_ITEMS): NavEntry[] {
	const out: NavEntry[] = [];
	for (const item of items) {
		if (!item.group) out.push({ kind: 'link', item });
		else {
			const g = out.find((e): e is Extract<NavEntry, { kind: 'group' }> => e.kind === 'group' && e.group === item.group);
			if (g) g.items.push(item);
			else out.push({ kind: 'group', group: item.group, items: [item] });
		}
	}
	return out;
}
