// The command line as a user runs it: the process's environment, clock and output.
import { buildCli } from './program.js';

// `lacuna alerts --replay ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

const code = await buildCli({
  env: process.env,
  now: Date.now,
  stdout: process.stdout,
  stderr: process.stderr,
  keepRunning(running) {
    const stop = async () => {
      process.stderr.write('stopping\n');
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
}).run(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
