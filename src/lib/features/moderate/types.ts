import type { Limits } from '../../codecs/types';
import type { ModerateParams, ModerateVerdict } from './verdict';

export type { ModerateParams, ModerateVerdict, Category, CategoryVerdict } from './verdict';

export interface ModerateResult extends ModerateVerdict {
	model: string;
	width: number;
	height: number;
	ms: number;
	backend: string;
}

export interface ModerateJob {
	bytes: Uint8Array;
	limits: Limits;
	params: ModerateParams;
}
