// Command nidan-host is nidan's native-messaging host and nothing else: the
// program the browser starts, once per code request.
//
// It exists beside the nidan CLI (which can also act as a host) because
// start-up is the host's hot path: every package linked into a Go binary
// runs its init at every start, whether used or not, and the CLI's imports
// (QR decoding, SSH and plugin recipients, protobuf for imports) would add
// ~0.8 ms to a round trip of ~2.5 ms (scripts/bench.sh: `nidan` beside
// `nidan-host`). deps_test.go keeps them out.
//
// stdout carries native-messaging frames and nothing else (host/protocol).
package main

import (
	"os"

	"nidan.dev/nidan/host/protocol"
)

func main() {
	os.Exit(protocol.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
