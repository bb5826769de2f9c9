import { createContext, useContext } from 'react';
import type { Session } from './api/types';

export interface SessionContextValue {
  session: Session;
  canEdit: boolean;
  signOut: (reason?: string) => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside a signed-in console');
  return value;
}
