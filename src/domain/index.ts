/** Public API of the domain core. Import from here, not from the individual files. */
export * from './events.ts';
export * from './hlc.ts';
export * from './order.ts';
export * from './validate.ts';
export * from './accounts.ts';
export * from './cost-position.ts';
export * from './ledger.ts';
