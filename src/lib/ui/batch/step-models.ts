import { FEATURE_MODELS } from '$lib/models/uses';
import type { Step } from '$lib/ui/steps';

/**
 * The models a list of toolbox steps will load. A batch fetches them on the page (with a
 * progress bar) before submitting, so the first items do not all stall on the same download
 * inside the workers.
 */
export function modelsForSteps(steps: readonly Step[]): string[] {
	const ids = new Set<string>();
	for (const s of steps) {
		if (s.kind === 'smart_crop' || s.kind === 'face_blur') FEATURE_MODELS.faces.forEach((m) => ids.add(m));
		if (s.kind === 'background_remove') FEATURE_MODELS.matting.forEach((m) => ids.add(m));
		if (s.kind === 'resize' && s.enlarge && s.ai) FEATURE_MODELS.superres.forEach((m) => ids.add(m));
	}
	return [...ids];
}
