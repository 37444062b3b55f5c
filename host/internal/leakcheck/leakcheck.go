// Package leakcheck is a test helper: it fails a test when a seed or a code
// shows up where none may ever be, in stderr or in the nidan home's logs.
package leakcheck

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nidan.dev/nidan/host/logging"
	"nidan.dev/nidan/otp"
)

// Scan fails t when Find finds anything, or cannot look.
func Scan(t testing.TB, stderr, home string, a otp.Account, now time.Time) {
	t.Helper()
	leaks, err := Find(stderr, home, a, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range leaks {
		t.Error(leak)
	}
}

// Find lists where the account's seed (any case, any spacing, or its first
// 16 characters) or one of its codes from two steps before now to two after
// appears: in stderr or in a file under home's log folder. It is an error
// when no log file exists: a scan of nothing proves nothing.
func Find(stderr, home string, a otp.Account, now time.Time) ([]string, error) {
	seed := a.Secret.Base32()
	needles := []string{seed, seed[:16]}
	for step := -2; step <= 2; step++ {
		code, err := a.Code(now.Add(time.Duration(step*a.Period) * time.Second))
		if err != nil {
			return nil, err
		}
		needles = append(needles, code)
	}
	texts := map[string]string{"stderr": stderr}
	filepath.WalkDir(filepath.Join(home, logging.Dir), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			texts[path] = string(data)
		}
		return nil
	})
	if len(texts) < 2 {
		return nil, errors.New("no log file was written: the scan would prove nothing")
	}
	var leaks []string
	for where, text := range texts {
		upper := strings.ToUpper(strings.ReplaceAll(text, " ", ""))
		for _, needle := range needles {
			if strings.Contains(upper, needle) {
				leaks = append(leaks, fmt.Sprintf("%s holds a secret or a code (%d chars)", where, len(needle)))
			}
		}
	}
	return leaks, nil
}
