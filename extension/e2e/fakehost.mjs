#!/usr/bin/env node
// A stand-in native host that speaks another protocol version than the
// extension: what a user gets with a stale or a newer `nidan` installed. It
// answers every request with ok and the protocol in NIDAN_FAKE_PROTOCOL
// ("none" omits the field, as a host that predates protocol 1 would), or,
// with NIDAN_FAKE_PROTOCOL=exit, exits without answering, as a crashing host
// does.

let pending = Buffer.alloc(0);

function answer(request) {
  const response = { id: request.id, ok: true, version: 'fake' };
  const protocol = process.env.NIDAN_FAKE_PROTOCOL ?? 'none';
  if (protocol !== 'none') response.protocol = Number(protocol);
  const body = Buffer.from(JSON.stringify(response));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  process.stdout.write(Buffer.concat([length, body]));
}

if (process.env.NIDAN_FAKE_PROTOCOL === 'exit') process.exit(3);

process.stdin.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32LE(0)) {
    const length = pending.readUInt32LE(0);
    answer(JSON.parse(pending.subarray(4, 4 + length).toString('utf8')));
    pending = pending.subarray(4 + length);
  }
});
