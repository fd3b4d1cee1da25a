/**
 * postgres.js 3.4.9 crashes its process when a connection closes in the middle of a transaction:
 * the transaction's next statement (often the ROLLBACK postgres.js sends itself) schedules a write
 * on a socket that closed() has already set to null, and the TypeError is thrown from a
 * setImmediate callback, where no caller can catch it. Reported upstream as porsager/postgres#1154,
 * #1066 and #1208; unfixed in any published release.
 *
 * The fix settles such a write with CONNECTION_CLOSED, so the statement's caller sees a rejected
 * query, and drops the buffered bytes and the cancelled timer when a connection closes, so they
 * are not sent to the next socket nor leave the connection unable to schedule a write again.
 */
export default {
  package: 'postgres',
  versions: ['3.4.9'],
  files: ['src/connection.js', 'cjs/src/connection.js'],
  edits: [
    {
      find: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
      replace: `  function nextWrite(fn) {
    if (socket === null) { // trendcast patch: a write after the connection closed fails its query
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
    },
    {
      find: `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
`,
      replace: `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // trendcast patch
`,
    },
    {
      find: `    incomings = null
    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
      replace: `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // trendcast patch
    socket.removeListener('data', data)`,
    },
  ],
};
