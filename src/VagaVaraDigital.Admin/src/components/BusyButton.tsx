import type { ButtonHTMLAttributes, Ref } from 'react';

/**
 * A button whose action is running: marked aria-disabled, not disabled — a disabled button loses the keyboard focus
 * (to <body>), so a keyboard or screen-reader user would have to find their way back. A press while busy does nothing,
 * including a form's submit by Enter (the browser clicks the form's submit button for it).
 */
export function BusyButton({ busy, onClick, ref, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button ref={ref} {...rest} aria-disabled={busy || undefined}
      onClick={(e) => { if (busy) { e.preventDefault(); return; } onClick?.(e); }} />
  );
}
