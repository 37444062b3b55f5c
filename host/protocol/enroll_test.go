package protocol

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/vault"
)

// enrollKey is a key as Amazon's setup page shows it: lowercase groups of four.
const enrollKey = "ojsx e33e mfzw k3tf ojsx e33e mfzw k3tf ojsx e33e mfzw k3tf mfzw"

// useBuiltCLI points the host at a freshly built nidan CLI for one test.
func useBuiltCLI(t *testing.T) {
	t.Helper()
	dir, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	old := cliPath
	cliPath = func() (string, error) { return filepath.Join(dir, "nidan"), nil }
	t.Cleanup(func() { cliPath = old })
}

type enrollAnswer struct {
	OK      bool `json:"ok"`
	Account struct {
		Name         string   `json:"name"`
		Label        string   `json:"label"`
		Marketplaces []string `json:"marketplaces"`
		Hosts        []string `json:"hosts"`
		PhoneBackup  bool     `json:"phone_backup"`
	} `json:"account"`
	Code      string `json:"code"`
	Period    int    `json:"period"`
	Remaining int    `json:"remaining"`
	Existing  string `json:"existing"`
	Duplicate string `json:"duplicate"`
	Error     struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func TestEnroll(t *testing.T) {
	useBuiltCLI(t)
	secret, err := otp.ParseSecret(enrollKey)
	if err != nil {
		t.Fatal(err)
	}
	shop := testAccount(t, 0, "shop-jp", "jp@example.com", "jp")
	enroll := func(fields string) string {
		return `{"type":"enroll","secret":"` + enrollKey + `",` + fields + `}`
	}
	tests := []struct {
		name    string
		caller  string
		request string
		code    string   // error code; "" for success
		want    string   // a substring of the message, or the account name on success
		markets []string // on success
		label   string
	}{
		{name: "by e-mail", request: enroll(`"origin":"https://www.amazon.co.jp","email":"new@example.com"`),
			want: "new@example.com", markets: []string{"jp"}, label: "new@example.com"},
		{name: "named", request: enroll(`"origin":"https://sellercentral.amazon.co.jp","name":"seller jp","email":"s@example.com"`),
			want: "seller jp", markets: []string{"jp"}, label: "s@example.com"},
		{name: "named without e-mail", request: enroll(`"origin":"https://www.amazon.com","name":"buyer-us"`),
			want: "buyer-us", markets: []string{"us"}},
		{name: "europe", request: enroll(`"origin":"https://sellercentral-europe.amazon.com","email":"eu@example.com"`),
			want: "eu@example.com", markets: []string{"uk", "de", "fr", "it", "es"}, label: "eu@example.com"},
		{name: "no vault", request: enroll(`"origin":"https://www.amazon.co.jp","email":"new@example.com"`),
			code: codeVaultMissing, want: "nidan init"},
		{name: "duplicate name", request: enroll(`"origin":"https://www.amazon.co.jp","name":"shop-jp"`),
			code: codeDuplicate, want: `named "shop-jp"`},
		{name: "duplicate key", request: `{"type":"enroll","origin":"https://www.amazon.co.jp","email":"again@example.com","secret":"` + strings.ToLower(seeds[0]) + `"}`,
			code: codeDuplicate, want: `already in nidan, as account "shop-jp"`},
		{name: "lookalike", request: enroll(`"origin":"https://www.amazon.co.jp.evil.example","email":"new@example.com"`),
			code: codeForbiddenOrigin, want: "evil.example"},
		{name: "http", request: enroll(`"origin":"http://www.amazon.co.jp","email":"new@example.com"`),
			code: codeForbiddenOrigin},
		{name: "bad secret", request: `{"type":"enroll","origin":"https://www.amazon.co.jp","email":"new@example.com","secret":"ojsx e33e mfzw k3tf"}`,
			code: codeBadSecret, want: "too short"},
		{name: "name required", request: enroll(`"origin":"https://www.amazon.co.jp"`),
			code: codeNameRequired},
		{name: "label with a control character", request: enroll(`"origin":"https://www.amazon.co.jp","name":"x","email":"a\u0007b"`),
			code: codeBadRequest, want: "label"},
		{name: "forbidden caller", caller: "other-chrome", request: enroll(`"origin":"https://www.amazon.co.jp","email":"new@example.com"`),
			code: codeForbiddenCaller},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := filepath.Join(t.TempDir(), "home")
			if tt.code != codeVaultMissing {
				makeVault(t, home, shop)
			}
			t.Setenv("NIDAN_HOME", home) // the CLI finds the home as the host does
			caller := tt.caller
			if caller == "" {
				caller = "chrome"
			}
			start := time.Now()
			_, stdout, logs, stderr := run(t, callers[caller], home, frameOf([]byte(tt.request)))
			frames := splitFrames(t, stdout)
			if len(frames) != 1 {
				t.Fatalf("%d answers", len(frames))
			}
			var got enrollAnswer
			if err := json.Unmarshal(frames[0], &got); err != nil {
				t.Fatal(err)
			}
			assertNoKey(t, frames[0], logs, stderr)
			if !bytes.Contains(logs, []byte(`"type":"enroll"`)) {
				t.Errorf("no request log line: %s", logs)
			}
			if tt.code != "" {
				if got.OK || got.Error.Code != tt.code || !strings.Contains(got.Error.Message, tt.want) {
					t.Fatalf("answer %s; want %s with %q", frames[0], tt.code, tt.want)
				}
				if tt.code != codeVaultMissing {
					if names := vaultNames(t, home); !slices.Equal(names, []string{"shop-jp"}) {
						t.Errorf("the vault holds %v after a refused enroll", names)
					}
				}
				return
			}
			a := got.Account
			if !got.OK || a.Name != tt.want || a.Label != tt.label || !slices.Equal(a.Marketplaces, tt.markets) || a.PhoneBackup || len(a.Hosts) == 0 {
				t.Fatalf("answer %s", frames[0])
			}
			if got.Code != codeOf(t, secret, start) && got.Code != codeOf(t, secret, time.Now()) {
				t.Errorf("code %s is not the key's", got.Code)
			}
			if got.Period != 30 || got.Remaining < 1 || got.Remaining > 30 {
				t.Errorf("period %d, remaining %d", got.Period, got.Remaining)
			}
			if !slices.Contains(vaultNames(t, home), tt.want) {
				t.Errorf("the vault does not hold %q", tt.want)
			}
			if !bytes.Contains(logs, []byte(`"account":"`+tt.want+`"`)) || !bytes.Contains(logs, []byte(`"outcome":"ok"`)) {
				t.Errorf("the log line lacks the account or the outcome: %s", logs)
			}
		})
	}
	t.Run("duplicate names the holder", func(t *testing.T) {
		home := filepath.Join(t.TempDir(), "home")
		makeVault(t, home, shop)
		t.Setenv("NIDAN_HOME", home)
		req := `{"type":"enroll","origin":"https://www.amazon.co.jp","email":"again@example.com","secret":"` + seeds[0] + `"}`
		_, stdout, _, _ := run(t, callers["chrome"], home, frameOf([]byte(req)))
		var got enrollAnswer
		json.Unmarshal(splitFrames(t, stdout)[0], &got)
		if got.Existing != "shop-jp" || got.Duplicate != "key" {
			t.Errorf("existing = %q, duplicate = %q; want shop-jp, key", got.Existing, got.Duplicate)
		}
	})
	t.Run("no CLI", func(t *testing.T) {
		home := filepath.Join(t.TempDir(), "home")
		makeVault(t, home)
		cliPath = func() (string, error) { return filepath.Join(home, "no-such-nidan"), nil }
		_, stdout, logs, stderr := run(t, callers["chrome"], home, frameOf([]byte(enroll(`"origin":"https://www.amazon.co.jp","email":"new@example.com"`))))
		frame := splitFrames(t, stdout)[0]
		if !bytes.Contains(frame, []byte(`"code":"internal"`)) {
			t.Errorf("answer %s", frame)
		}
		assertNoKey(t, frame, logs, stderr)
	})
}

func TestPhoneBackup(t *testing.T) {
	useBuiltCLI(t)
	home := filepath.Join(t.TempDir(), "home")
	makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	t.Setenv("NIDAN_HOME", home)
	for _, value := range []bool{true, false} {
		req := `{"type":"phone_backup","origin":"https://sellercentral.amazon.co.jp","account":"shop-jp","value":` + map[bool]string{true: "true", false: "false"}[value] + `}`
		_, stdout, logs, _ := run(t, callers["chrome"], home, frameOf([]byte(req)))
		var got enrollAnswer
		frame := splitFrames(t, stdout)[0]
		json.Unmarshal(frame, &got)
		if !got.OK || got.Account.Name != "shop-jp" || got.Account.PhoneBackup != value {
			t.Fatalf("answer %s", frame)
		}
		if a := vaultAccount(t, home, "shop-jp"); a.PhoneBackup != value {
			t.Errorf("the vault says phone_backup %v, want %v", a.PhoneBackup, value)
		}
		if !bytes.Contains(logs, []byte(`"type":"phone_backup","origin":"https://sellercentral.amazon.co.jp","account":"shop-jp"`)) {
			t.Errorf("log %s", logs)
		}
	}
}

// assertNoKey fails when the enrolled key, in any of its forms, appears in
// the answer (no field of any answer holds it), the log or stderr.
func assertNoKey(t *testing.T, texts ...[]byte) {
	t.Helper()
	compact := strings.ReplaceAll(enrollKey, " ", "")
	forms := []string{enrollKey, compact, strings.ToUpper(compact), strings.ToLower(seeds[0]), seeds[0], enrollKey[:9]}
	for _, text := range texts {
		for _, f := range forms {
			if bytes.Contains(text, []byte(f)) {
				t.Errorf("the key leaked into %s", text)
			}
		}
	}
}

func codeOf(t *testing.T, s otp.Secret, at time.Time) string {
	t.Helper()
	c, err := otp.Account{Name: "x", Secret: s, Algorithm: otp.SHA1, Digits: 6, Period: 30}.Code(at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func vaultAccount(t *testing.T, home, name string) otp.Account {
	t.Helper()
	for _, a := range vaultAccounts(t, home) {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("the vault has no account %q", name)
	return otp.Account{}
}

func vaultNames(t *testing.T, home string) []string {
	t.Helper()
	var names []string
	for _, a := range vaultAccounts(t, home) {
		names = append(names, a.Name)
	}
	return names
}

func vaultAccounts(t *testing.T, home string) []otp.Account {
	t.Helper()
	r, err := vault.Store{Dir: home}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	all, err := r.All()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// FuzzEnroll sends arbitrary enroll and phone_backup bodies to a host whose
// CLI is missing: whatever the body, the answer is one JSON object and
// neither it nor the log holds the secret sent.
func FuzzEnroll(f *testing.F) {
	for _, s := range []string{
		`{"type":"enroll","origin":"https://www.amazon.co.jp","secret":"` + enrollKey + `","email":"a@b.c"}`,
		`{"type":"enroll","origin":"https://www.amazon.co.jp","secret":"mfzw 1ktf ojsx e33e mfzw k3tf ojsx e33e","name":"x"}`,
		`{"type":"enroll","origin":"https://www.amazon.co.jp.evil.example","secret":"zzzzzzzzzzzzzzzz"}`,
		`{"type":"enroll","origin":"https://www.amazon.co.jp","secret":"abcdefgh\u0000ijklmnop","name":"-x"}`,
		`{"type":"phone_backup","origin":"https://www.amazon.co.jp","account":"shop-jp","value":true}`,
		`{"type":"phone_backup","origin":"https://www.amazon.co.jp","account":"shop-jp","value":"yes"}`,
	} {
		f.Add([]byte(s))
	}
	home := filepath.Join(f.TempDir(), "home")
	makeVault(f, home, testAccount(f, 0, "shop-jp", "jp@example.com", "jp"))
	old := cliPath
	cliPath = func() (string, error) { return filepath.Join(home, "no-such-nidan"), nil }
	f.Cleanup(func() { cliPath = old })
	f.Fuzz(func(t *testing.T, body []byte) {
		_, stdout, logs, stderr := run(t, callers["chrome"], home, frameOf(body))
		frames := splitFrames(t, stdout)
		if len(frames) != 1 {
			t.Fatalf("%d answers", len(frames))
		}
		req, err := decodeRequest(body)
		if err != nil || len(req.secret) < 8 {
			return // too short to tell a leak from a coincidence
		}
		// The same request with another secret tells text that merely
		// happens to contain the secret (the origin quoted, a fixed
		// message) from a leak.
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			return
		}
		m["secret"] = strings.Repeat("Q", len(req.secret))
		other, _ := json.Marshal(m)
		_, stdout2, logs2, stderr2 := run(t, callers["chrome"], home, frameOf(other))
		for i, text := range [][]byte{frames[0], logs, stderr} {
			same := [][]byte{stdout2, logs2, stderr2}[i]
			if bytes.Contains(text, []byte(req.secret)) && !bytes.Contains(same, []byte(req.secret)) {
				t.Fatalf("the secret leaked into %q", text)
			}
		}
	})
}
