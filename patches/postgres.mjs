/**
 * Two faults of postgres.js 3.4.9 (the newest release) when a connection closes in the middle of a
 * transaction, both reported upstream (porsager/postgres#1066, #1154, #1208) and unfixed:
 *
 * 1. The transaction's next statement (often the ROLLBACK postgres.js sends itself) schedules a
 *    write on a socket that closed() has already set to null; the TypeError is thrown from a
 *    setImmediate callback, where no caller can catch it, and the process dies. Fix: such a write
 *    fails its query with CONNECTION_CLOSED, and a closing connection drops its buffered bytes and
 *    cancelled timer, so they are neither sent to the next socket nor block later writes.
 * 2. The transaction is rejected as soon as its connection closes, but its callback may still be
 *    running; its next statement then goes to the same connection object, which the pool may have
 *    reconnected for another caller meanwhile: the statement runs outside its transaction, perhaps
 *    inside someone else's, and the connection's replies no longer match its queries (it hangs).
 *    Fix: once the connection closed, the transaction's statements fail with CONNECTION_CLOSED.
 *
 * And one change of behaviour: postgres.js gathers the statements issued in one tick into one socket
 * write, but writes at once as soon as 1 KB has gathered, so two 1 KB statements a transaction issues
 * together (a state change and its outbox row) left in two writes, each waking the server. Now up to
 * 16 KB (a socket's own high-water mark) leave together; past it the write happens at once as before.
 */
const connectionEdits = [
  {
    find: `    if (fn || chunk.length >= 1024)`,
    replace: `    if (fn || chunk.length >= 16384) // trendcast patch: statements issued together leave in one write`,
  },
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
];

const transactionEdits = [
  {
    find: `      , prepare = null

    try {
      await sql.unsafe('begin '`,
    replace: `      , prepare = null
      , lost = null // trendcast patch: set once the transaction's connection has closed

    try {
      await sql.unsafe('begin '`,
  },
  {
    find: `        new Promise((_, reject) => connection.onclose = reject)`,
    replace: `        new Promise((_, reject) => connection.onclose = e => reject(lost = e || Errors.connection('CONNECTION_CLOSED', options)))`,
  },
  {
    find: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
        c.queue === full`,
    replace: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
        if (lost) // trendcast patch: the pool may have reconnected it for someone else by now
          return q.reject(lost)
        c.queue === full`,
  },
];

export default {
  package: 'postgres',
  versions: ['3.4.9'],
  changes: [
    { files: ['src/connection.js', 'cjs/src/connection.js'], edits: connectionEdits },
    { files: ['src/index.js', 'cjs/src/index.js'], edits: transactionEdits },
  ],
};
