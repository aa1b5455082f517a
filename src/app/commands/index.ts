/**
 * Every user action, by name. A screen gathers the input, calls `run<Action>(input, context)`, and
 * records the bodies (or shows the errors next to their fields).
 */
export * from './command.ts';
