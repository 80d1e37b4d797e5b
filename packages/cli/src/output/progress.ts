/**
 * Progress of a wait on stderr: on a terminal, one line redrawn with a spinner and the time elapsed; elsewhere
 * (logs, CI, pipes) a plain line per change, so a log shows what happened and when. Hand-written because the
 * spinner libraries (ora, yocto-spinner, nanospinner) switch themselves off whenever CI is set, which would leave
 * the terminal mode untestable here; what remains is a frame list and a timer.
 */
export interface Progress {
  /** The current state of what is awaited; a plain line is written only when it changes. */
  update(text: string): void;
  /** Ends the spinner line with a final message. */
  done(text: string): void;
  /** Ends the spinner line as it is (the wait failed; the error follows). */
  stop(): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function elapsedSince(started: number, now: number): string {
  const seconds = Math.floor((now - started) / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function startProgress(
  write: (text: string) => void,
  terminal: boolean,
  options: { frameMs?: number; now?: () => number } = {},
): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  let current = '';
  let frame = 0;
  if (!terminal) {
    return {
      update(text) {
        if (text === current) return;
        current = text;
        write(`${text} (${elapsedSince(started, now())})\n`);
      },
      // The last update usually said it already.
      done: (text) => (text === current ? undefined : write(`${text} (${elapsedSince(started, now())})\n`)),
      stop: () => undefined,
    };
  }
  const draw = () => {
    frame = (frame + 1) % frames.length;
    // \r and "erase line": redraw in place without scrolling.
    write(`\r\x1b[K${frames[frame] ?? ''} ${current} ${elapsedSince(started, now())}`);
  };
  const timer = setInterval(draw, options.frameMs ?? 100);
  timer.unref();
  return {
    update(text) {
      current = text;
      draw();
    },
    done(text) {
      clearInterval(timer);
      write(`\r\x1b[K✓ ${text} (${elapsedSince(started, now())})\n`);
    },
    stop() {
      clearInterval(timer);
      write('\n');
    },
  };
}
