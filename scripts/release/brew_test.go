package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormula: one url and the right checksum for each OS and CPU.
func TestFormula(t *testing.T) {
	dist := t.TempDir()
	var want []string
	for _, goos := range []string{"darwin", "linux"} {
		for _, arch := range []string{"amd64", "arm64"} {
			name := fmt.Sprintf("nidan-1.2.3-%s-%s.tar.gz", goos, arch)
			data := []byte(name)
			if err := os.WriteFile(filepath.Join(dist, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			want = append(want, `url "https://example.org/dl/`+name+`"`+"\n      sha256 \""+hex.EncodeToString(sum[:])+`"`)
		}
	}
	out := filepath.Join(dist, "nidan.rb")
	if err := writeFormula("1.2.3", "https://example.org/dl/", "https://example.org", dist, out); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	rb := string(data)
	for _, w := range append(want, `version "1.2.3"`, `homepage "https://example.org"`, "on_macos do", "on_linux do",
		"on_arm do", "on_intel do", `bin.install "nidan", "nidan-host"`, `"nidan 1.2.3"`) {
		if !strings.Contains(rb, w) {
			t.Errorf("formula lacks %q:\n%s", w, rb)
		}
	}
	os.Remove(filepath.Join(dist, "nidan-1.2.3-linux-arm64.tar.gz"))
	if err := writeFormula("1.2.3", "u", "h", dist, out); err == nil {
		t.Error("a missing archive gave no error")
	}
}
