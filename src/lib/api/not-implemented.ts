import { DarkroomError } from './errors';

/** Calls a later release implements answer 501 and say so, rather than pretending. */
export function notImplemented(method: string, feature: string): (req?: unknown) => Promise<never> {
	const fn = () => Promise.reject(new DarkroomError('not_implemented', `${method} is not available in this release of Darkroom yet (it needs ${feature})`));
	return Object.assign(fn, { [PLANNED]: feature });
}

/** Marks a call that answers 501, so `capabilities()` can tell without calling it. */
export const PLANNED = Symbol.for('darkroom.planned');

export function plannedFeature(fn: unknown): string | undefined {
	return typeof fn === 'function' ? ((fn as unknown as Record<symbol, string>)[PLANNED] ?? undefined) : undefined;
}
