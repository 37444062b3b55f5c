package frame

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func le(n uint32) []byte { return binary.NativeEndian.AppendUint32(nil, n) }

func framed(body string) []byte { return append(le(uint32(len(body))), body...) }

func TestRead(t *testing.T) {
	tests := []struct {
		name   string
		stream []byte
		want   []string // bodies read before the error
		err    error
	}{
		{"clean end", nil, nil, io.EOF},
		{"one frame", framed(`{"type":"hello"}`), []string{`{"type":"hello"}`}, io.EOF},
		{"two frames", append(framed(`{}`), framed(`[]`)...), []string{`{}`, `[]`}, io.EOF},
		{"largest", framed(strings.Repeat("x", MaxRequest)), []string{strings.Repeat("x", MaxRequest)}, io.EOF},
		{"zero length", le(0), nil, ErrEmpty},
		{"one over", le(MaxRequest + 1), nil, ErrTooLarge},
		{"all ones", le(0xFFFFFFFF), nil, ErrTooLarge},
		{"garbage", []byte("GET / HTTP/1.1\r\n"), nil, ErrTooLarge},
		{"length cut at 1", []byte{5}, nil, ErrTruncatedLength},
		{"length cut at 3", []byte{5, 0, 0}, nil, ErrTruncatedLength},
		{"body cut", append(le(10), "abc"...), nil, ErrTruncatedBody},
		{"body missing", le(10), nil, ErrTruncatedBody},
		{"second cut", append(framed(`{}`), 1, 0), []string{`{}`}, ErrTruncatedLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bytes.NewReader(tt.stream)
			var got []string
			for {
				body, err := Read(r)
				if err != nil {
					if !errors.Is(err, tt.err) {
						t.Fatalf("error %v, want %v", err, tt.err)
					}
					break
				}
				got = append(got, string(body))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("read %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEmptyKeepsSync checks that a zero-length frame consumes only its
// length, so the host can answer it and go on with the next frame.
func TestEmptyKeepsSync(t *testing.T) {
	r := bytes.NewReader(append(le(0), framed(`{}`)...))
	if _, err := Read(r); !errors.Is(err, ErrEmpty) {
		t.Fatal(err)
	}
	if body, err := Read(r); err != nil || string(body) != `{}` {
		t.Fatalf("after an empty frame: %q, %v", body, err)
	}
}

func TestAppend(t *testing.T) {
	buf, err := Append([]byte("prefix"), []byte(`{"ok":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]byte("prefix"), framed(`{"ok":true}`)...); !bytes.Equal(buf, want) {
		t.Errorf("got %q, want %q", buf, want)
	}
	if _, err := Append(nil, make([]byte, MaxResponse)); err != nil {
		t.Errorf("exactly 1 MiB: %v", err)
	}
	if _, err := Append(nil, make([]byte, MaxResponse+1)); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("over 1 MiB: %v", err)
	}
}

// FuzzRead feeds arbitrary streams to Read: it must never panic, never
// return a body over the cap, never read past the frames it returns, and end
// with one of its documented errors.
func FuzzRead(f *testing.F) {
	f.Add([]byte{})
	f.Add(framed(`{"type":"hello"}`))
	f.Add(append(framed(`{"type":"code","origin":"https://www.amazon.co.jp"}`), framed(`{"type":"list"}`)...))
	f.Add(le(0))
	f.Add(le(0xFFFFFFFF))
	f.Add(le(MaxRequest + 1))
	f.Add([]byte{1, 0})
	f.Add(append(le(8), "abc"...))
	f.Add([]byte("\xff\xfe\x00garbage"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := bytes.NewReader(stream)
		consumed := 0
		for {
			body, err := Read(r)
			if err != nil {
				if !(err == io.EOF || errors.Is(err, ErrEmpty) || errors.Is(err, ErrTooLarge) ||
					errors.Is(err, ErrTruncatedLength) || errors.Is(err, ErrTruncatedBody)) {
					t.Fatalf("undocumented error %v", err)
				}
				if errors.Is(err, ErrEmpty) {
					consumed += 4
					continue
				}
				return
			}
			if len(body) == 0 || len(body) > MaxRequest {
				t.Fatalf("body of %d bytes", len(body))
			}
			if !bytes.Equal(body, stream[consumed+4:consumed+4+len(body)]) {
				t.Fatal("body is not the bytes after its length")
			}
			consumed += 4 + len(body)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	frame := framed(`{"type":"code","origin":"https://www.amazon.co.jp","email":"user@example.com","id":7}`)
	r := bytes.NewReader(nil)
	for b.Loop() {
		r.Reset(frame)
		if _, err := Read(r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReady(t *testing.T) {
	tests := []struct {
		name   string
		stream []byte
		want   bool
	}{
		{"nothing", nil, false},
		{"part of a length", []byte{1, 0}, false},
		{"length only", le(3), false},
		{"part of a body", append(le(3), 'a'), false},
		{"whole frame", framed("abc"), true},
		{"empty frame", le(0), true},
		{"too large", le(MaxRequest + 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bufio.NewReader(bytes.NewReader(tt.stream))
			r.Peek(len(tt.stream)) // fill the buffer as a read would
			if got := Ready(r); got != tt.want {
				t.Errorf("Ready = %v, want %v", got, tt.want)
			}
		})
	}
}
