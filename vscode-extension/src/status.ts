/**
 * Status-bar text for the `sffi/status` server notification. Pure: no `vscode` import.
 */

export const STATUS_NOTIFICATION = 'sffi/status';

export type IndexState = 'indexing' | 'ready' | 'error';

export interface StatusParams {
  state: IndexState;
  done?: number;
  total?: number;
  errors?: number;
  message?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** `error` / `warning` map to the status-bar theme colours; undefined is the default look. */
  severity?: 'error' | 'warning';
}

function count(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

export function formatStatus(params: Partial<StatusParams> | null | undefined): StatusView {
  const state = params?.state;
  const done = count(params?.done);
  const total = count(params?.total);
  const errors = count(params?.errors);
  const message = typeof params?.message === 'string' && params.message.trim() !== '' ? params.message.trim() : undefined;
  const withMessage = (base: string) => (message ? `${base}\n${message}` : base);

  switch (state) {
    case 'indexing': {
      const progress = done !== undefined && total !== undefined && total > 0 ? ` ${done}/${total}` : '';
      return {
        text: `$(sync~spin) SFFI indexing${progress}`,
        tooltip: withMessage(`SFFI: indexing${progress}. Click to show the server output.`),
      };
    }
    case 'ready':
      if (errors !== undefined && errors > 0) {
        return {
          text: `$(error) SFFI ${errors}`,
          tooltip: withMessage(`SFFI: index ready with ${errors} error${errors === 1 ? '' : 's'}. Click to show the server output.`),
          severity: 'error',
        };
      }
      return {
        text: '$(check) SFFI',
        tooltip: withMessage('SFFI: index ready. Click to show the server output.'),
      };
    case 'error': {
      const suffix = errors !== undefined && errors > 0 ? ` ${errors}` : '';
      return {
        text: `$(error) SFFI${suffix}`,
        tooltip: withMessage('SFFI: indexing failed. Click to show the server output.'),
        severity: 'error',
      };
    }
    default:
      return { text: '$(circle-outline) SFFI', tooltip: withMessage('SFFI: starting. Click to show the server output.') };
  }
}

/** Text while the client itself is starting, stopped, or failed to start. */
export function clientStateStatus(state: 'starting' | 'stopped' | 'failed', detail?: string): StatusView {
  switch (state) {
    case 'starting':
      return { text: '$(sync~spin) SFFI', tooltip: 'SFFI: starting the language server…' };
    case 'stopped':
      return { text: '$(debug-stop) SFFI', tooltip: 'SFFI: the language server is stopped. Click to show the output.', severity: 'warning' };
    case 'failed':
      return {
        text: '$(error) SFFI',
        tooltip: `SFFI: the language server could not be started.${detail ? `\n${detail}` : ''}`,
        severity: 'error',
      };
  }
}
