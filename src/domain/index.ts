/** Public API of the domain core. Import from here, not from the individual files. */
export * from './events.ts';
export * from './hlc.ts';
export * from './order.ts';
export * from './validate.ts';
export * from './accounts.ts';
export * from './cost-position.ts';
export * from './books/index.ts';
export * from './purchase-orders.ts';
export * from './count-sessions.ts';
export * from './shifts.ts';
export * from './transfers.ts';
export * from './returns.ts';
export * from './cash-rounding.ts';
export * from './permissions.ts';
export * from './refunds.ts';
export * from './locations.ts';
