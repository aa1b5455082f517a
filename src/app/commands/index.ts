/**
 * Every user action, by name. A screen gathers the input, calls `<command>.run(input, context)`, and
 * records the bodies (or shows the errors next to their fields). `COMMANDS` lists them all and
 * `refusalFor` is the permission table derived from them.
 */
export * from './command.ts';
export * from './sale.ts';
export * from './returns.ts';
export * from './goods.ts';
export * from './transfers.ts';
export * from './counts.ts';
export * from './stock.ts';
export * from './shifts.ts';
export * from './catalog.ts';
export * from './locations.ts';
export * from './store-settings.ts';
export * from './reorder.ts';
export * from './replenishment.ts';
export * from './staff.ts';
export * from './registry.ts';
export * from '../queries.ts';
