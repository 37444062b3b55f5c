// Package recipienttest installs a fake age plugin for tests: the test
// binary itself, linked as age-plugin-nidantest on a temporary PATH. Its
// recipient and identity wrap an X25519 key, so what it encrypts the test
// can check with that key.
package recipienttest

import (
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// Name is the fake plugin's name.
const Name = "nidantest"

// RunPluginIfInvoked serves the plugin protocol and exits when the test
// binary was started as the plugin. Call it first in TestMain.
func RunPluginIfInvoked() {
	if filepath.Base(os.Args[0]) != "age-plugin-"+Name {
		return
	}
	p, err := plugin.New(Name)
	if err != nil {
		os.Exit(1)
	}
	p.HandleRecipient(func(data []byte) (age.Recipient, error) { return age.ParseX25519Recipient(string(data)) })
	p.HandleIdentity(func(data []byte) (age.Identity, error) { return age.ParseX25519Identity(string(data)) })
	os.Exit(p.Main())
}

// Install puts the plugin on PATH for the rest of the test and returns a
// fresh X25519 identity with the plugin recipient and identity strings that
// stand for it.
func Install(t *testing.T) (id *age.X25519Identity, recipient, identity string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "age-plugin-"+Name)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	if id, err = age.GenerateX25519Identity(); err != nil {
		t.Fatal(err)
	}
	return id, plugin.EncodeRecipient(Name, []byte(id.Recipient().String())), plugin.EncodeIdentity(Name, []byte(id.String()))
}
