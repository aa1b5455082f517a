/**
 * The supervisor's approval on the spot (issue 17): mounted once in the shell, it registers
 * `app.requestApproval`, which `app.record` calls when the signed-in member's role lacks a
 * privilege the event needs. The dialog itself (PIN pad, PIN hashing) loads with the first request,
 * not with the first screen.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { AppContext, ApprovalRequest } from '../app-context.ts';
import type { ApprovalPanelProps } from './ApprovalPanel.tsx';

interface Pending {
  request: ApprovalRequest;
  resolve(approverId: string | null): void;
}

let panel: Promise<ComponentType<ApprovalPanelProps>> | null = null;
const loadPanel = () => (panel ??= import('./ApprovalPanel.tsx').then((m) => m.ApprovalPanel));

export function ApprovalDialog({ app }: { app: AppContext }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [Panel, setPanel] = useState<ComponentType<ApprovalPanelProps> | null>(null);
  useEffect(() => {
    app.requestApproval = async (request) => {
      try {
        const loaded = await loadPanel();
        setPanel(() => loaded);
      } catch {
        panel = null;
        // Without the dialog nobody can approve: the caller refuses with the reason.
        return null;
      }
      return new Promise<string | null>((resolve) =>
        setPending((previous) => {
          // One request at a time: an earlier one still open was not approved.
          previous?.resolve(null);
          return { request, resolve };
        }),
      );
    };
    return () => {
      app.requestApproval = null;
    };
  }, [app]);
  if (!pending || !Panel) return null;
  const finish = (approverId: string | null) => {
    pending.resolve(approverId);
    setPending(null);
  };
  return <Panel app={app} request={pending.request} onDone={finish} />;
}
