package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"time"
)

// fixMSITimes sets the creation and last-save times of an MSI's summary
// information to mtime. wixl writes the build's wall-clock time there and
// has no SOURCE_DATE_EPOCH; msibuild -s keeps them. The two are FILETIMEs
// (VT_FILETIME, 0x40, then 100 ns ticks since 1601) next to each other in
// the "\005SummaryInformation" stream: we look for exactly that pair within
// two days of now, which nothing else in the file is, and rewrite it in
// place (a compound file carries no checksum).
func fixMSITimes(file string, mtime, now time.Time) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("msi times: %w", err)
	}
	vt := []byte{0x40, 0, 0, 0}
	var hits []int
	for i := 0; i+12 <= len(data); i++ {
		if !bytes.Equal(data[i:i+4], vt) {
			continue
		}
		if t := fromFiletime(binary.LittleEndian.Uint64(data[i+4:])); t.Sub(now).Abs() < 48*time.Hour {
			hits = append(hits, i)
		}
	}
	if len(hits) != 2 || hits[1]-hits[0] != 12 {
		return fmt.Errorf("msi times: found the build times at %v in %s, want one pair (hint: has wixl changed its summary information? see scripts/release/msitime.go)", hits, file)
	}
	for _, i := range hits {
		binary.LittleEndian.PutUint64(data[i+4:], toFiletime(mtime))
	}
	return os.WriteFile(file, data, 0o644)
}

// epochDelta is 1601-01-01 to 1970-01-01 in seconds.
const epochDelta = 11644473600

func fromFiletime(ft uint64) time.Time {
	return time.Unix(int64(ft/1e7)-epochDelta, int64(ft%1e7)*100)
}

func toFiletime(t time.Time) uint64 {
	return uint64(t.Unix()+epochDelta)*1e7 + uint64(t.Nanosecond()/100)
}
