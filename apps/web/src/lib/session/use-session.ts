import { useSyncExternalStore } from 'react';
import { session, type SessionState } from './session-store.js';

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState);
}

export function useAccount() {
  const state = useSession();
  return state.status === 'signed-in' ? state.user : undefined;
}
