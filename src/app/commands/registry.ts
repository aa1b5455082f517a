/**
 * Every command, and from them the one table of which events need the owner's device. The app checks
 * it before recording (AppContext.record) and the server when a device pushes (push-batch.ts), so a
 * rule such as "only the owner's device may change prices" is written once: on the command.
 */
import type { EventKind } from '../../domain/events.ts';
import type { DeviceRole } from '../../domain/permissions.ts';
import { ownerOnlyRefusal, type Command } from './command.ts';
import { closePurchaseOrder, createPurchaseOrder, receiveGoods } from './goods.ts';
import { changeProduct, defineProduct, importCatalog } from './catalog.ts';
import { approveCount, openCount, recordCount } from './counts.ts';
import { defineLocation } from './locations.ts';
import { setReorderLevels } from './reorder.ts';
import { setSupplierLeadTime } from './replenishment.ts';
import { exchange, recordReturn } from './returns.ts';
import { completeSale, voidSale } from './sale.ts';
import { closeShift, moveCash, openShift } from './shifts.ts';
import { changeStoreSettings } from './store-settings.ts';
import { defineStaffMember, recordPinRejected } from './staff.ts';
import { adjustStock, countStock, recordOpeningBalance } from './stock.ts';
import { receiveTransfer, sendTransfer } from './transfers.ts';

export const COMMANDS: readonly Command<never>[] = [
  completeSale,
  voidSale,
  recordReturn,
  exchange,
  receiveGoods,
  createPurchaseOrder,
  closePurchaseOrder,
  sendTransfer,
  receiveTransfer,
  openCount,
  recordCount,
  approveCount,
  recordOpeningBalance,
  countStock,
  adjustStock,
  openShift,
  moveCash,
  closeShift,
  defineProduct,
  changeProduct,
  importCatalog,
  defineLocation,
  changeStoreSettings,
  setReorderLevels,
  setSupplierLeadTime,
  defineStaffMember,
  recordPinRejected,
];

/**
 * Event kind → what the owner-only action is called ("change products or prices"). A kind is the
 * owner's when the commands that record it are; two commands that disagree are a mistake, refused
 * here rather than left to decide by their order.
 */
const OWNER_ONLY: ReadonlyMap<EventKind, string> = (() => {
  const permission = new Map<EventKind, Command<never>>();
  const ownerOnly = new Map<EventKind, string>();
  for (const command of COMMANDS) {
    for (const kind of command.records) {
      const other = permission.get(kind);
      if (other && other.permission !== command.permission) {
        throw new Error(`Commands ${other.name} and ${command.name} both record ${kind} but need different roles.`);
      }
      permission.set(kind, command);
      if (command.permission === 'owner' && command.action !== undefined && !ownerOnly.has(kind)) ownerOnly.set(kind, command.action);
    }
  }
  return ownerOnly;
})();

/** The role a device needs to record `kind`: the owner's, or any paired device's. */
export function requiredRole(kind: EventKind): 'owner' | 'anyone' {
  return OWNER_ONLY.has(kind) ? 'owner' : 'anyone';
}

/** What recording `kind` is, finishing "Only … can …", when it is the owner's; undefined when anyone may. */
export function ownerOnlyAction(kind: EventKind): string | undefined {
  return OWNER_ONLY.get(kind);
}

/** Why `role` may not record `kind`, in words for people; undefined when it may. */
export function refusalFor(role: DeviceRole, kind: EventKind): string | undefined {
  const action = OWNER_ONLY.get(kind);
  return role === 'owner' || action === undefined ? undefined : ownerOnlyRefusal(action);
}

/** The command called `name` ('complete-sale'…), for tools and tests. */
export function commandNamed(name: string): Command<never> | undefined {
  return COMMANDS.find((c) => c.name === name);
}
