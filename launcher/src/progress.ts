/** Progress lines for long-running CLI work: steps, and a bar for counted work on a TTY. */
export type Progress = {
  step: (message: string) => void;
  count: (label: string, done: number, total: number) => void;
  done: (message: string) => void;
};

export function createProgress(out: NodeJS.WriteStream = process.stdout): Progress {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  let lastCountLine = '';
  return {
    step(message) {
      out.write(`  • ${message}\n`);
    },
    count(label, done, total) {
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const line = `    ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
      if (out.isTTY) out.write(`\r${line}${done === total ? '\n' : ''}`);
      else if (done === total || line !== lastCountLine) {
        if (done === total || done === 0) out.write(`${line}\n`);
      }
      lastCountLine = line;
    },
    done(message) {
      out.write(`  ✓ ${message} (${elapsed()})\n`);
    },
  };
}
