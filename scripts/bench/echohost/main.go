// Command echohost is the baseline of scripts/bench.sh: the least a Go
// native-messaging host can do. It reads one frame and answers it with a
// fixed JSON object, with no vault, no logging and no imports beyond what
// framing needs, so that nidan's cold round trip can be compared with the
// cost of starting a Go program and framing one answer.
package main

import (
	"encoding/binary"
	"io"
	"os"
)

func main() {
	var head [4]byte
	if _, err := io.ReadFull(os.Stdin, head[:]); err != nil {
		os.Exit(1)
	}
	body := make([]byte, binary.NativeEndian.Uint32(head[:]))
	if _, err := io.ReadFull(os.Stdin, body); err != nil {
		os.Exit(1)
	}
	answer := []byte(`{"ok":true,"protocol":1}`)
	os.Stdout.Write(append(binary.NativeEndian.AppendUint32(nil, uint32(len(answer))), answer...))
}
