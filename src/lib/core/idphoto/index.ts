export * from './crop';
export * from './background';
export * from './layout';
export * from './presets';
