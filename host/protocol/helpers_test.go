package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/vault"
)

// fixedNow is the clock of the golden tests: 20 s left in a 30 s step.
var fixedNow = time.Date(2026, 11, 21, 9, 0, 10, 0, time.UTC)

// The callers, as browsers start the host.
var callers = map[string][]string{
	"chrome":        {ChromeOrigin},
	"chrome-win":    {ChromeOrigin, "--parent-window=0"},
	"firefox":       {"/home/u/.mozilla/native-messaging-hosts/dev.nidan.host.json", FirefoxID},
	"other-chrome":  {"chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"},
	"other-firefox": {"/home/u/.mozilla/native-messaging-hosts/dev.nidan.host.json", "evil@example.com"},
}

// Seeds of the test accounts; each account gets its own, so that a code in
// an answer shows which account was chosen.
var seeds = []string{
	"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
	"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
	"MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
	"KRUGKIDROVUWG2ZAMJZG653OEBTG66BA",
	"ONSWG4TFOQQHEZLBNRWHSIDMN5XGOIDL",
}

func testAccount(t testing.TB, i int, name, label string, markets ...string) otp.Account {
	t.Helper()
	sec, err := otp.ParseSecret(seeds[i%len(seeds)])
	if err != nil {
		t.Fatal(err)
	}
	return otp.Account{Name: name, Issuer: "Amazon", Label: label, Marketplaces: markets, Secret: sec,
		Algorithm: otp.SHA1, Digits: 6, Period: 30}
}

// makeVault makes a nidan home in dir through the vault's own API.
func makeVault(t testing.TB, dir string, accounts ...otp.Account) vault.Store {
	t.Helper()
	s := vault.Store{Dir: dir}
	if _, err := s.Init(); err != nil {
		t.Fatal(err)
	}
	if len(accounts) > 0 {
		err := s.Update(func([]otp.Account) ([]otp.Account, error) { return accounts, nil })
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// homes makes one nidan home per vault state the tests name.
func homes(t *testing.T) map[string]string {
	t.Helper()
	root := t.TempDir()
	h := map[string]string{}
	dir := func(name string) string {
		h[name] = filepath.Join(root, name)
		return h[name]
	}
	os.MkdirAll(dir("none"), 0o700)
	makeVault(t, dir("empty"))
	makeVault(t, dir("one"), testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	makeVault(t, dir("several"),
		testAccount(t, 0, "shop-jp", "jp@example.com", "jp"),
		testAccount(t, 1, "shop-jp-2", "Second@Example.com", "jp"),
		testAccount(t, 2, "seller-eu", "eu@example.com", "uk", "de", "fr", "it", "es"),
		testAccount(t, 3, "shop-us", "us@example.com", "us"),
		testAccount(t, 4, "everywhere", "all@example.com"),
	)
	// Another service's accounts, as a phone's export brings them: the
	// first bound to nothing, the second bound to jp by hand.
	github := testAccount(t, 2, "GitHub", "alice")
	github.Issuer = "GitHub"
	bound := testAccount(t, 3, "Google", "bob@example.com", "jp")
	bound.Issuer = "Google"
	makeVault(t, dir("backup-only"), github)
	makeVault(t, dir("mixed"), github, bound, testAccount(t, 4, "shop-us", "us@example.com"))

	corrupt := makeVault(t, dir("corrupt"), testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	data, err := os.ReadFile(corrupt.Path(vault.VaultFile))
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-5] ^= 0xff // break the last chunk's tag
	if err := os.WriteFile(corrupt.Path(vault.VaultFile), data, 0o600); err != nil {
		t.Fatal(err)
	}

	wrong := makeVault(t, dir("wrong-identity"), testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	other := makeVault(t, filepath.Join(root, "other"))
	id, err := os.ReadFile(other.Path(vault.IdentityFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wrong.Path(vault.IdentityFile), id, 0o600); err != nil {
		t.Fatal(err)
	}

	loose := makeVault(t, dir("loose"), testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	if err := os.Chmod(loose.Path(vault.VaultFile), 0o644); err != nil {
		t.Fatal(err)
	}
	return h
}

// run serves stdin as a host started with args in home would, at fixedNow,
// and returns what it wrote to stdout, the request log and stderr.
func run(t testing.TB, args []string, home string, stdin []byte) (status int, stdout, reqLog, stderr []byte) {
	t.Helper()
	var out, logs, errs bytes.Buffer
	s := newServer(args, home, nil, func() time.Time { return fixedNow }, zerolog.New(&errs))
	s.version = "test"
	status = s.serve(bytes.NewReader(stdin), &out, &logs)
	return status, out.Bytes(), logs.Bytes(), errs.Bytes()
}

// frameOf frames one message as the browser does.
func frameOf(msg []byte) []byte {
	return append(binary.NativeEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

// splitFrames parses stdout as frames and fails unless every byte of it
// belongs to a frame whose body is a JSON object: the stdout rule.
func splitFrames(t testing.TB, stdout []byte) [][]byte {
	t.Helper()
	var frames [][]byte
	for len(stdout) > 0 {
		if len(stdout) < 4 {
			t.Fatalf("stdout ends with %d stray bytes %q", len(stdout), stdout)
		}
		n := int(binary.NativeEndian.Uint32(stdout))
		if n == 0 || 4+n > len(stdout) {
			t.Fatalf("stdout holds a frame of length %d with %d bytes left", n, len(stdout)-4)
		}
		body := stdout[4 : 4+n]
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			t.Fatalf("stdout frame is not a JSON object: %v: %q", err, body)
		}
		frames = append(frames, body)
		stdout = stdout[4+n:]
	}
	return frames
}

// assertNoSecrets fails when a seed, or a code from the answers, appears in
// the log or stderr.
func assertNoSecrets(t testing.TB, frames [][]byte, texts ...[]byte) {
	t.Helper()
	var secrets []string
	for _, s := range seeds {
		secrets = append(secrets, s, strings.ToLower(s))
	}
	for _, f := range frames {
		secrets = append(secrets, codesIn(f)...)
	}
	for _, text := range texts {
		for _, s := range secrets {
			if bytes.Contains(text, []byte(s)) {
				t.Errorf("secret %q leaked into %q", s, text)
			}
		}
	}
}

// codesIn returns the codes in an answer (code, or codes' accounts).
func codesIn(body []byte) []string {
	var r struct {
		Code     string `json:"code"`
		Accounts json.RawMessage
	}
	json.Unmarshal(body, &r)
	var codes []string
	if r.Code != "" {
		codes = append(codes, r.Code)
	}
	var list []struct {
		Code string `json:"code"`
	}
	json.Unmarshal(r.Accounts, &list)
	for _, a := range list {
		if a.Code != "" {
			codes = append(codes, a.Code)
		}
	}
	return codes
}

// codeAt is the account's code at t, for answers made at a real clock.
func codeAt(t testing.TB, i int, at time.Time) string {
	t.Helper()
	c, err := testAccount(t, i, "x", "").Code(at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hexStream(t testing.TB, text string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		t.Fatalf("stdin.hex: %v", err)
	}
	return b
}
