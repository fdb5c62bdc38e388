import { DarkroomError } from './errors';

/** Calls a later release implements answer 501 and say so, rather than pretending. */
export function notImplemented(method: string, feature: string): (req?: unknown) => Promise<never> {
	return () => Promise.reject(new DarkroomError('not_implemented', `${method} is not available in this release of Darkroom yet (it needs ${feature})`));
}
