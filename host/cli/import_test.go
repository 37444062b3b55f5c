package cli

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/migration/migrationtest"
	"nidan.dev/nidan/otp/qr"
	"nidan.dev/nidan/otp/recipient/recipienttest"
	"nidan.dev/nidan/otp/vault"
)

func TestMain(m *testing.M) {
	recipienttest.RunPluginIfInvoked()
	scryptWorkFactor = 10 // age's default costs a second and 256 MiB per test
	os.Exit(m.Run())
}

// The pinned time of the CLI tests and the seed that leakScan looks for.
var testNow = time.Unix(1700000000, 0)

const (
	testSeed = "MFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZQ"
	testURI  = "otpauth://totp/Amazon:shop%40example.jp?secret=" + testSeed + "&issuer=Amazon"
)

// session runs commands in one nidan home, collecting stderr across runs.
type session struct {
	t      *testing.T
	home   string
	stderr bytes.Buffer
	// terminal makes stdin and stdout terminals; answers are what the user
	// types at hidden prompts, in order.
	terminal bool
	answers  []string
}

func newSession(t *testing.T) *session {
	s := &session{t: t, home: filepath.Join(t.TempDir(), "home")}
	t.Setenv("NIDAN_HOME", s.home)
	return s
}

// run runs nidan and returns its exit status and stdout.
func (s *session) run(stdin string, args ...string) (int, string) {
	var stdout bytes.Buffer
	env := Env{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &s.stderr,
		Now:      func() time.Time { return testNow },
		Terminal: func(fd int) bool { return s.terminal && fd != 2 },
		ReadSecret: func() ([]byte, error) {
			if len(s.answers) == 0 {
				return nil, io.EOF
			}
			a := s.answers[0]
			s.answers = s.answers[1:]
			return []byte(a), nil
		},
	}
	mark := s.stderr.Len()
	code := Main(args, env)
	s.t.Logf("nidan %s → %d\n%s", strings.Join(args, " "), code, s.stderr.String()[mark:])
	return code, stdout.String()
}

// must runs nidan and fails the test unless it succeeds.
func (s *session) must(stdin string, args ...string) string {
	s.t.Helper()
	code, out := s.run(stdin, args...)
	if code != 0 {
		s.t.Fatalf("nidan %s: exit %d", strings.Join(args, " "), code)
	}
	return out
}

// fails runs nidan, expects it to fail with msg in stderr.
func (s *session) fails(msg, stdin string, args ...string) {
	s.t.Helper()
	mark := s.stderr.Len()
	if code, _ := s.run(stdin, args...); code == 0 {
		s.t.Fatalf("nidan %s succeeded", strings.Join(args, " "))
	}
	if got := s.stderr.String()[mark:]; !strings.Contains(got, msg) {
		s.t.Errorf("nidan %s: stderr %q lacks %q", strings.Join(args, " "), got, msg)
	}
}

func (s *session) file(name string, data []byte) string {
	path := filepath.Join(s.t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		s.t.Fatal(err)
	}
	return path
}

func (s *session) vaultBytes() []byte {
	data, err := os.ReadFile(filepath.Join(s.home, vault.VaultFile))
	if err != nil {
		s.t.Fatal(err)
	}
	return data
}

func encodeImage(t *testing.T, text string, jpeg bool) []byte {
	var b bytes.Buffer
	enc := qr.PNG
	if jpeg {
		enc = qr.JPEG
	}
	if err := enc(&b, text); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func code(t *testing.T, uri string) string {
	a, err := otp.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Code(testNow)
	if err != nil {
		t.Fatal(err)
	}
	return c + "\n"
}

func googleExport(n int) string {
	p := migration.Payload{Version: 1, BatchSize: 1}
	for i := range n {
		p.OTP = append(p.OTP, migration.Parameters{
			Secret: migration.Key(bytes.Repeat([]byte{byte('a' + i)}, 32)),
			Name:   "Amazon:seller" + string(rune('1'+i)) + "@example.com", Type: migration.TOTP,
		})
	}
	return migrationtest.URI(migrationtest.Encode(p))
}

func TestAddQR(t *testing.T) {
	s := newSession(t)
	s.must("", "init")
	for _, jpeg := range []bool{false, true} {
		name := map[bool]string{false: "png", true: "jpeg"}[jpeg]
		path := s.file("shot."+name, encodeImage(t, testURI, jpeg))
		if out := s.must("", "add", "shop-"+name, "--qr", path); out != code(t, testURI) {
			t.Errorf("%s: code %q", name, out)
		}
		s.must("", "remove", "shop-"+name, "--yes")
	}
	// The text of a QR code, pasted: a Google Authenticator export of one account.
	if out := s.must(googleExport(1)+"\n", "add"); len(out) != 7 {
		t.Errorf("code %q", out)
	}

	before := s.vaultBytes()
	var blank bytes.Buffer
	png.Encode(&blank, image.NewGray(image.Rect(0, 0, 300, 300)))
	good := encodeImage(t, testURI, false)
	for _, tc := range []struct {
		name, msg string
		data      []byte
	}{
		{"blank.png", "no QR code was found in the image", blank.Bytes()},
		{"cut.png", "the image cannot be read", good[:len(good)/2]},
		{"notes.png", "it is neither PNG nor JPEG", []byte(testURI)},
		{"hotp.png", "HOTP (counter-based) accounts are not supported", encodeImage(t, strings.Replace(testURI, "totp", "hotp", 1), false)},
		{"link.png", "the QR code holds no otpauth:// or otpauth-migration:// URI (it holds a https: link)", encodeImage(t, "https://www.amazon.co.jp/", false)},
		{"three.png", "it holds 3 accounts; `nidan import` reads them all", encodeImage(t, googleExport(3), false)},
		{"broken.png", "invalid Google Authenticator export", encodeImage(t, googleExport(3)[:120], false)},
	} {
		s.fails(tc.msg, "", "add", "x", "--qr", s.file(tc.name, tc.data))
	}
	s.fails("missing.png: no such file", "", "add", "x", "--qr", filepath.Join(t.TempDir(), "missing.png"))
	if !bytes.Equal(before, s.vaultBytes()) {
		t.Error("a failed add changed the vault")
	}
}

func TestImportQRImage(t *testing.T) {
	s := newSession(t)
	s.must("", "init")
	path := s.file("export.jpg", encodeImage(t, googleExport(4), true))
	out := s.must("", "import", path, "--apply", "--marketplace", "us")
	if strings.Count(out, "add ") != 4 {
		t.Errorf("plan:\n%s", out)
	}
	list := s.must("", "list")
	for i := range 4 {
		if !strings.Contains(list, "seller"+string(rune('1'+i))+"@example.com  Amazon") {
			t.Errorf("list lacks account %d:\n%s", i+1, list)
		}
	}
}

func TestExportQRTerminal(t *testing.T) {
	s := newSession(t)
	s.must("", "init")
	s.must(testURI, "add", "shop")
	s.terminal = true
	out := s.must("n\n", "export", "shop", "--qr")
	if out != "" || !strings.Contains(s.stderr.String(), "Nothing exported.") {
		t.Errorf("a no still exported: %q", out)
	}
	out = s.must("y\n", "export", "shop", "--qr")
	if !strings.HasPrefix(out, "\x1b[97;40m") || !strings.Contains(out, "▀") {
		t.Errorf("no coloured half blocks on a terminal: %q", out[:min(len(out), 40)])
	}
}

func TestPassphraseBackup(t *testing.T) {
	s := newSession(t)
	s.must("", "init")
	s.must(testURI, "add", "shop", "--marketplace", "jp")
	dir := t.TempDir()
	file := filepath.Join(dir, "b.age")

	s.terminal = true
	s.answers = []string{"correct horse", "correct hoarse"}
	s.fails("the two passphrases differ", "", "backup", file, "--passphrase")
	s.answers = []string{""}
	s.fails("the passphrase is empty", "", "backup", file, "--passphrase")
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a failed backup left a file")
	}
	// A weak passphrase: a warning and a question; no, nothing written;
	// yes, written all the same.
	s.answers = []string{"correct horse", "correct horse"}
	s.fails("the passphrase is too easy to guess", "n\n", "backup", file, "--passphrase")
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused backup left a file")
	}
	if !strings.Contains(s.stderr.String(), "Warning: this passphrase is weak: about 10^") {
		t.Error("no warning for a weak passphrase")
	}
	s.answers = []string{"short", "short"}
	s.must("y\n", "backup", filepath.Join(dir, "weak.age"), "--passphrase")
	mark := s.stderr.Len()
	s.answers = []string{"correct horse battery staple", "correct horse battery staple"}
	s.must("", "backup", file, "--passphrase")
	if strings.Contains(s.stderr.String()[mark:], "weak") {
		t.Error("a strong passphrase was called weak")
	}

	other := newSession(t)
	other.must("", "init")
	other.terminal = true
	other.answers = []string{"battery staple"}
	other.fails("wrong passphrase", "", "restore", file, "--apply")
	other.terminal = false
	other.fails("a passphrase is read from a terminal only", "", "restore", file)
	other.terminal = true
	other.answers = []string{"correct horse battery staple"}
	other.must("", "restore", file, "--apply")
	if got := other.must("", "code", "shop"); got != code(t, testURI) {
		t.Errorf("restored code %q", got)
	}
	if list := other.must("", "list"); !strings.Contains(list, "shop  Amazon  shop@example.jp  jp") {
		t.Errorf("restored list:\n%s", list)
	}
}

// opens reports whether an age file decrypts with the identity.
func opens(t *testing.T, path string, id age.Identity) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = age.Decrypt(bytes.NewReader(data), id)
	return err == nil
}

func TestRecipientsReencrypt(t *testing.T) {
	s := newSession(t)
	s.must("", "init")
	s.must(testURI, "add", "shop")
	key, _ := age.GenerateX25519Identity()
	plugID, plugRecipient, plugIdentity := recipienttest.Install(t)
	vaultPath, bakPath := filepath.Join(s.home, vault.VaultFile), filepath.Join(s.home, vault.BackupFile)

	if opens(t, vaultPath, key) {
		t.Fatal("the vault opens with a key never added")
	}
	s.must("", "recipients", "add", key.Recipient().String())
	s.must("", "recipients", "add", plugRecipient)
	if !opens(t, vaultPath, key) || !opens(t, vaultPath, plugID) {
		t.Fatal("the vault is not encrypted to the new recipients")
	}
	if list := s.must("", "recipients", "list"); !strings.Contains(list, "plugin (age-plugin-"+recipienttest.Name+")") {
		t.Errorf("list:\n%s", list)
	}

	// A backup to the plugin opens with the plugin's identity file.
	backupPath := filepath.Join(t.TempDir(), "b.age")
	s.must("", "backup", backupPath)
	other := newSession(t)
	other.must("", "init")
	other.must("", "restore", backupPath, "--identity", other.file("plugin-id.txt", []byte(plugIdentity+"\n")), "--apply")
	if got := other.must("", "code", "shop"); got != code(t, testURI) {
		t.Errorf("restored code %q", got)
	}

	t.Setenv("NIDAN_HOME", s.home)
	s.must("", "recipients", "remove", "1")
	if opens(t, vaultPath, key) || opens(t, bakPath, key) {
		t.Error("vault.age or vault.age.bak still opens with the removed key")
	}
	if !opens(t, vaultPath, plugID) {
		t.Error("the remaining recipient was dropped")
	}
	s.must("", "recipients", "remove", plugRecipient)
	if opens(t, vaultPath, plugID) {
		t.Error("the vault still opens with the removed plugin key")
	}
}
