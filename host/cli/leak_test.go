package cli

import (
	"encoding/base32"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"nidan.dev/nidan/host/internal/leakcheck"
	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/migration/migrationtest"
	"nidan.dev/nidan/otp/recipient/recipienttest"
)

// TestImportExportNoLeaks runs import, export, recipients, backup and
// restore through their good and bad paths with a known seed, and checks
// that neither the seed, in any spelling, nor a code made from it reaches
// stderr or a log file. (host/leak_test.go does the same for the rest.)
func TestImportExportNoLeaks(t *testing.T) {
	s := newSession(t)
	secret, err := otp.ParseSecret(testSeed)
	if err != nil {
		t.Fatal(err)
	}
	a := otp.Account{Name: "shop", Issuer: "Amazon", Label: "shop@example.jp", Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}
	key, _ := age.GenerateX25519Identity()
	_, plugRecipient, _ := recipienttest.Install(t)
	dir := t.TempDir()
	google := migrationtest.URI(migrationtest.Encode(migration.Payload{OTP: []migration.Parameters{
		{Secret: migration.Key(mustRaw(t, secret)), Name: "Amazon:shop@example.jp", Type: migration.TOTP},
		{Secret: migration.Key(mustRaw(t, secret)), Name: "Amazon:hotp", Type: migration.HOTP},
	}}))
	uris := a.URI() + "\n" + strings.Replace(a.URI(), "totp", "hotp", 1) + "\n"

	s.run(uris, "import", "-")
	s.must("", "init")
	s.run(uris, "import", "-")
	s.run(uris, "import", "-", "--apply")
	s.run(uris, "import", "-", "--apply")
	s.run(google+"\n", "import", "-", "--apply")
	s.run(google[:len(google)-20]+"\n", "import", "-")
	s.run(`{"header":{},"db":{"entries":[{"type":"totp","name":"x","info":{"secret":"`+testSeed[:20]+`!"}}]}}`, "import", "-")
	s.run(`{"services":[{"secret":"`+testSeed+`","otp":{"tokenType":"STEAM"}}],"schemaVersion":4}`, "import", "-", "--apply")
	s.run("", "add", "x", "--qr", s.file("q.png", encodeImage(t, a.URI(), false)))
	s.run("", "add", "x", "--qr", s.file("h.png", encodeImage(t, strings.Replace(a.URI(), "totp", "hotp", 1), false)))
	s.run("", "add", "x", "--qr", s.file("t.png", []byte(a.URI())))
	s.run(google+"\n", "add", "g")
	s.run("", "export", "shop", "--qr")
	s.run("", "export", "shop", "--qr", "--yes")
	s.run("", "export", "--uris", "--yes")
	s.run("", "export", "shop", "--png", filepath.Join(dir, "s.png"), "--yes")
	s.run("", "recipients", "add", key.Recipient().String())
	s.run("", "recipients", "add", plugRecipient)
	s.run("", "recipients", "add", "AGE-SECRET-KEY-1"+testSeed)
	s.run("", "recipients", "list")
	s.run("", "backup", filepath.Join(dir, "b.age"))
	s.run("", "restore", filepath.Join(dir, "b.age"))
	s.run("", "restore", filepath.Join(dir, "b.age"), "--identity", s.file("k", []byte(key.String())))
	s.run("", "restore", filepath.Join(dir, "b.age"), "--identity", s.file("bad", []byte(testSeed)))
	s.terminal = true
	s.answers = []string{testSeed, testSeed}
	s.run("", "backup", filepath.Join(dir, "p.age"), "--passphrase")
	s.answers = []string{testSeed + "x"}
	s.run("", "restore", filepath.Join(dir, "p.age"))
	s.answers = []string{testSeed}
	s.run("y\n", "restore", filepath.Join(dir, "p.age"), "--apply")
	s.terminal = false
	s.run("", "recipients", "remove", "1")

	leakcheck.Scan(t, s.stderr.String(), s.home, a, testNow)
}

func mustRaw(t *testing.T, s otp.Secret) []byte {
	raw, err := base32NoPad.DecodeString(s.Base32())
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)
