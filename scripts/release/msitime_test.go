package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFixMSITimes(t *testing.T) {
	now := time.Date(2026, 12, 2, 14, 53, 24, 123456700, time.UTC)
	mtime := time.Unix(1767225600, 0).UTC()
	pair := func(t1, t2 time.Time) []byte {
		b := make([]byte, 24)
		for i, tt := range []time.Time{t1, t2} {
			copy(b[i*12:], []byte{0x40, 0, 0, 0})
			binary.LittleEndian.PutUint64(b[i*12+4:], toFiletime(tt))
		}
		return b
	}
	file := filepath.Join(t.TempDir(), "x.msi")
	body := append(append([]byte("head\x40\x00\x00\x00old-time"), pair(now, now)...), "tail"...)
	os.WriteFile(file, body, 0o644)
	if err := fixMSITimes(file, mtime, now); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	want := append(append([]byte("head\x40\x00\x00\x00old-time"), pair(mtime, mtime)...), "tail"...)
	if !bytes.Equal(got, want) {
		t.Errorf("got %x\nwant %x", got, want)
	}
	if err := fixMSITimes(file, mtime, now); err == nil {
		t.Error("a file without build times: no error")
	}
}
