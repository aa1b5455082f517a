/**
 * Replenishment (issue 16): the owner overrides a supplier's lead time, or hands it back to what the
 * supplier's purchase orders taught (null).
 */
import { MAX_SUPPLIER } from '../../domain/events.ts';
import { MAX_LEAD_TIME_DAYS } from '../../domain/store-settings.ts';
import { accept, defineCommand, refuse } from './command.ts';

export interface SetSupplierLeadTimeInput {
  supplier: string;
  /** Whole days from order to delivery; null: use what the supplier's orders taught. */
  leadTimeDays: number | null;
}

export const setSupplierLeadTime = defineCommand<SetSupplierLeadTimeInput>({
  name: 'set-supplier-lead-time',
  records: ['supplier-lead-time-set'],
  permission: 'owner',
  action: 'set supplier lead times',
  check(input) {
    const supplier = input.supplier.trim();
    if (supplier === '') return refuse({ field: 'supplier', message: 'Name the supplier whose lead time this is.' });
    if (supplier.length > MAX_SUPPLIER) return refuse({ field: 'supplier', message: `A supplier’s name is at most ${MAX_SUPPLIER} characters: shorten it.` });
    const days = input.leadTimeDays;
    if (days !== null && !(Number.isSafeInteger(days) && days >= 1 && days <= MAX_LEAD_TIME_DAYS)) {
      return refuse({ field: 'leadTimeDays', message: `The lead time is a whole number of days from 1 to ${MAX_LEAD_TIME_DAYS}, or empty to use what this supplier’s orders show.` });
    }
    return accept({ kind: 'supplier-lead-time-set', supplier, leadTimeDays: days });
  },
});
