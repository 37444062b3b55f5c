// The background: the only place that talks to the nidan host. Content
// scripts cannot use native messaging; they message this worker, which
// takes the origin from the sender's tab, never from the message.
import './lib/native.js';
