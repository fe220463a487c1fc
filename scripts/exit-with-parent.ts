/**
 * Preloaded by `npm start` into every process it starts (node --import). Those processes run in
 * process groups of their own, so that a Ctrl-C reaches `npm start` alone and it can stop them
 * in order (gateway, subgraphs, agency systems, database). This keeps them from outliving it:
 * when its IPC channel closes (it exited, or was killed with SIGKILL), the process stops as if
 * it had been asked to.
 */
if (process.send) {
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
