package leakcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nidan.dev/nidan/host/logging"
	"nidan.dev/nidan/otp"
)

func TestFind(t *testing.T) {
	secret, err := otp.ParseSecret("MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E")
	if err != nil {
		t.Fatal(err)
	}
	a := otp.Account{Name: "a", Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}
	now := time.Unix(1700000000, 0)
	code, _ := a.Code(now.Add(30 * time.Second))
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, logging.Dir), 0o700)
	log := filepath.Join(home, logging.Dir, "cli.log")

	if _, err := Find("", home, a, now); err == nil {
		t.Error("no log file, yet no error")
	}
	os.WriteFile(log, []byte(`{"message":"ok"}`), 0o600)
	if leaks, err := Find("clean", home, a, now); err != nil || len(leaks) != 0 {
		t.Errorf("clean: %v, %v", leaks, err)
	}
	os.WriteFile(log, []byte(`{"message":"code `+code+`"}`), 0o600)
	spaced := "mfzw k3tf ojsx e33e mfzw k3tf ojsx e33e"
	leaks, err := Find("pasted "+spaced, home, a, now)
	if err != nil || len(leaks) < 2 || !strings.Contains(strings.Join(leaks, "\n"), "cli.log") {
		t.Errorf("leaks = %v, %v", leaks, err)
	}
}
