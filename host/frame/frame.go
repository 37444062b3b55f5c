// Package frame reads and writes native-messaging frames: a 32-bit length in
// the platform's native byte order, then that many bytes of UTF-8 JSON. The
// reader never trusts the length: it refuses one over the request cap before
// allocating anything, and tells a clean end of stream (io.EOF between
// frames) from a frame cut short.
package frame

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Limits of the protocol. MaxRequest is nidan's own cap: no request it
// understands comes near it. MaxResponse is Chrome's limit for a message from
// a native host; a longer frame makes Chrome drop the connection.
const (
	MaxRequest  = 64 << 10
	MaxResponse = 1 << 20
)

// Errors of Read, matched with errors.Is. After any of them but ErrEmpty the
// stream can no longer be trusted: the reader is lost between frames.
var (
	ErrEmpty           = errors.New("the frame is empty (length 0)")
	ErrTooLarge        = errors.New("the frame is too large")
	ErrTruncatedLength = errors.New("the stream ended inside a frame's length")
	ErrTruncatedBody   = errors.New("the stream ended inside a frame's body")
)

// ErrResponseTooLarge is Write's refusal to send a frame over MaxResponse.
var ErrResponseTooLarge = errors.New("the response frame is over 1 MiB")

// Read reads one frame of at most MaxRequest bytes. It returns io.EOF, and
// nothing else, when the stream ends cleanly between frames.
func Read(r io.Reader) ([]byte, error) {
	var head [4]byte
	switch n, err := io.ReadFull(r, head[:]); {
	case err == io.EOF:
		return nil, io.EOF
	case err == io.ErrUnexpectedEOF:
		return nil, fmt.Errorf("%w (%d of 4 bytes)", ErrTruncatedLength, n)
	case err != nil:
		return nil, fmt.Errorf("reading a frame's length: %w", err)
	}
	size := binary.NativeEndian.Uint32(head[:])
	switch {
	case size == 0:
		return nil, ErrEmpty
	case size > MaxRequest:
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, size, MaxRequest)
	}
	body := make([]byte, size)
	if n, err := io.ReadFull(r, body); err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("%w (%d of %d bytes)", ErrTruncatedBody, n, size)
	} else if err != nil {
		return nil, fmt.Errorf("reading a frame's body: %w", err)
	}
	return body, nil
}

// Append appends msg as one frame to buf, so that a caller can send length
// and body in a single write. It refuses a message over MaxResponse.
func Append(buf, msg []byte) ([]byte, error) {
	if len(msg) > MaxResponse {
		return buf, fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, len(msg))
	}
	buf = binary.NativeEndian.AppendUint32(buf, uint32(len(msg)))
	return append(buf, msg...), nil
}

// Ready reports whether r already holds what the next Read needs — a whole
// frame, or a length Read refuses at once — so that Read will not wait on
// the stream. A host uses it to write answers in batches while requests are
// queued, and to flush before it would block.
func Ready(r *bufio.Reader) bool {
	n := r.Buffered()
	if n < 4 {
		return false
	}
	head, _ := r.Peek(4)
	size := binary.NativeEndian.Uint32(head)
	return size == 0 || size > MaxRequest || n-4 >= int(size)
}
