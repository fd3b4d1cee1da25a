/**
 * amqplib 2.3.1 (the newest release) writes every frame it has queued to the socket with a write of
 * its own: a relay publishing a batch of 200 events, or a consumer acking the 50 messages one
 * transaction handled, makes 200 or 50 system calls, and the broker wakes to read each. On loopback
 * in a small VM a socket write costs about as much CPU as the work the event does.
 * Fix: the socket is corked while the multiplexer drains what the channels queued, so what was
 * queued together leaves in one write (node's writev). Back-pressure is unchanged: `write` still
 * returns false past the socket's high-water mark, and the multiplexer stops there as before.
 */
const muxEdits = [
  {
    find: `    let accepting = true;
    const out = this.out;
`,
    replace: `    let accepting = true;
    const out = this.out;
    out.cork(); // trendcast patch: the frames queued together leave in one write
`,
  },
  {
    find: `    this.blocked = !accepting;
  }`,
    replace: `    this.blocked = !accepting;
    out.uncork(); // trendcast patch
  }`,
  },
];

export default {
  package: 'amqplib',
  versions: ['2.3.1'],
  changes: [{ files: ['lib/mux.js'], edits: muxEdits }],
};
