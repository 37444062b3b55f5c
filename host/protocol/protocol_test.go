package protocol

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"nidan.dev/nidan/host/frame"
	"nidan.dev/nidan/host/logging"
	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

type answer struct {
	ID        json.RawMessage `json:"id"`
	OK        bool            `json:"ok"`
	Protocol  int             `json:"protocol"`
	Error     *struct{ Code, Message string }
	Code      string `json:"code"`
	Remaining int    `json:"remaining"`
	Account   struct{ Name string }
	Accounts  json.RawMessage `json:"accounts"`
	Truncated bool            `json:"truncated"`
	Omitted   int             `json:"omitted"`
}

// ask sends one request to a fresh host and decodes its one answer.
func ask(t *testing.T, home string, req string) answer {
	t.Helper()
	_, stdout, logs, stderr := run(t, callers["chrome"], home, frameOf([]byte(req)))
	frames := splitFrames(t, stdout)
	if len(frames) != 1 {
		t.Fatalf("%d answers", len(frames))
	}
	assertNoSecrets(t, frames, logs, stderr)
	var a answer
	if err := json.Unmarshal(frames[0], &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func errCode(a answer) string {
	if a.Error == nil {
		return ""
	}
	return a.Error.Code
}

// TestRefusedOrigins sends code requests with origins that are not exactly
// an Amazon sign-in origin, to a vault whose account is bound to every
// Amazon host: none may get a code.
func TestRefusedOrigins(t *testing.T) {
	home := homes(t)["several"]
	tests := []struct {
		name   string
		origin string // JSON text
		want   string
	}{
		{"http", `"http://www.amazon.co.jp"`, codeForbiddenOrigin},
		{"suffix domain", `"https://www.amazon.co.jp.evil.example"`, codeForbiddenOrigin},
		{"host in query", `"https://evil.example/?www.amazon.co.jp"`, codeForbiddenOrigin},
		{"port", `"https://www.amazon.co.jp:8443"`, codeForbiddenOrigin},
		{"default port", `"https://www.amazon.co.jp:443"`, codeForbiddenOrigin},
		{"userinfo", `"https://user@www.amazon.co.jp"`, codeForbiddenOrigin},
		{"digit lookalike", `"https://www.amaz0n.co.jp"`, codeForbiddenOrigin},
		{"punycode lookalike", `"https://www.xn--amzon-hra.co.jp"`, codeForbiddenOrigin},
		{"cyrillic lookalike", `"https://www.\u0430mazon.co.jp"`, codeForbiddenOrigin},
		// Browsers serialise origins in lowercase; uppercase did not come
		// from one and is refused, not normalised (PROTOCOL.md).
		{"uppercase", `"https://WWW.AMAZON.CO.JP"`, codeForbiddenOrigin},
		{"uppercase scheme", `"HTTPS://www.amazon.co.jp"`, codeForbiddenOrigin},
		{"trailing slash", `"https://www.amazon.co.jp/"`, codeForbiddenOrigin},
		{"path", `"https://www.amazon.co.jp/ap/mfa"`, codeForbiddenOrigin},
		{"trailing dot", `"https://www.amazon.co.jp."`, codeForbiddenOrigin},
		{"not a sign-in host", `"https://aws.amazon.com"`, codeForbiddenOrigin},
		{"bare domain", `"https://amazon.co.jp"`, codeForbiddenOrigin},
		{"NUL", `"https://www.amazon.co.jp\u0000"`, codeForbiddenOrigin},
		{"space", `" https://www.amazon.co.jp"`, codeForbiddenOrigin},
		{"opaque origin", `"null"`, codeForbiddenOrigin},
		{"extension origin", `"chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp"`, codeForbiddenOrigin},
		{"empty", `""`, codeForbiddenOrigin},
		{"missing", ``, codeBadRequest},
		{"null", `null`, codeBadRequest},
		{"number", `1`, codeBadRequest},
		{"array", `["https://www.amazon.co.jp"]`, codeBadRequest},
		{"object", `{"origin":"https://www.amazon.co.jp"}`, codeBadRequest},
		{"boolean", `true`, codeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := `{"type":"code","email":"all@example.com"}`
			if tt.origin != "" {
				req = fmt.Sprintf(`{"type":"code","origin":%s,"email":"all@example.com"}`, tt.origin)
			}
			a := ask(t, home, req)
			if errCode(a) != tt.want || a.Code != "" || a.OK {
				t.Errorf("answer %+v, want error %s and no code", a, tt.want)
			}
		})
	}
}

// TestEveryTableHost checks the other side: every sign-in host of the
// marketplace table gets the code of an account bound to all of them.
func TestEveryTableHost(t *testing.T) {
	home := homes(t)["several"]
	for _, host := range market.Hosts(nil) {
		a := ask(t, home, fmt.Sprintf(`{"type":"code","origin":"https://%s","email":"ALL@example.com"}`, host))
		if !a.OK || a.Account.Name != "everywhere" || a.Code != codeAt(t, 4, fixedNow) || a.Remaining != 20 {
			t.Errorf("%s: %+v", host, a)
		}
	}
}

func TestInvoked(t *testing.T) {
	tests := []struct {
		args    []string
		invoked bool
		allowed bool
	}{
		{[]string{ChromeOrigin}, true, true},
		{[]string{ChromeOrigin, "--parent-window=4242"}, true, true},
		{[]string{"chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"}, true, false},
		{[]string{"chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp"}, true, false}, // no trailing slash: not what Chrome sends
		{[]string{"/home/u/.mozilla/native-messaging-hosts/dev.nidan.host.json", FirefoxID}, true, true},
		{[]string{"/usr/lib/mozilla/native-messaging-hosts/dev.nidan.host.JSON", FirefoxID}, true, true},
		{[]string{"/home/u/.mozilla/native-messaging-hosts/dev.nidan.host.json", "evil@example.com"}, true, false},
		{[]string{"/home/u/.mozilla/native-messaging-hosts/dev.nidan.host.json", "{a1b2c3d4-0000-4000-8000-0123456789ab}"}, true, false},
		{nil, false, false},
		{[]string{"add", "x"}, false, false},
		{[]string{"import", "/tmp/export.json"}, false, false},
		{[]string{"/tmp/x.json"}, false, false},
		{[]string{"/tmp/x.json", FirefoxID, "extra"}, false, false},
		{[]string{"x.json", FirefoxID}, false, false},
		{[]string{"/tmp/x.txt", FirefoxID}, false, false},
		{[]string{"/tmp/x.json", "--help"}, false, false},
		{[]string{"/tmp/x.json", "nidan"}, false, false},
		{[]string{ChromeOrigin, "add"}, false, false},
		{[]string{"--version"}, false, false},
	}
	for _, cmd := range strings.Fields("init add list code remove rename edit install uninstall doctor import export recipients backup restore version help") {
		tests = append(tests, struct {
			args    []string
			invoked bool
			allowed bool
		}{[]string{cmd}, false, false}, struct {
			args    []string
			invoked bool
			allowed bool
		}{[]string{cmd, FirefoxID}, false, false})
	}
	for _, tt := range tests {
		if got := Invoked(tt.args); got != tt.invoked {
			t.Errorf("Invoked(%q) = %v, want %v", tt.args, got, tt.invoked)
		}
		if got := callerOf(tt.args).allowed; got != tt.allowed {
			t.Errorf("callerOf(%q).allowed = %v, want %v", tt.args, got, tt.allowed)
		}
	}
}

// TestCutToFit fills a vault with accounts bound to every host, whose list
// would be several MiB: list and codes must stay under Chrome's 1 MiB, keep
// the first accounts, and say how many they left out.
func TestCutToFit(t *testing.T) {
	const n = 1500
	accounts := make([]otp.Account, n)
	for i := range accounts {
		accounts[i] = testAccount(t, i, fmt.Sprintf("account-%04d", i), fmt.Sprintf("user%d@example.com", i))
	}
	home := t.TempDir()
	makeVault(t, home, accounts...)
	for _, typ := range []string{"list", "codes"} {
		_, stdout, _, _ := run(t, callers["chrome"], home, frameOf([]byte(`{"type":"`+typ+`"}`)))
		frames := splitFrames(t, stdout)
		if len(frames[0]) > frame.MaxResponse {
			t.Fatalf("%s: %d bytes", typ, len(frames[0]))
		}
		var a answer
		json.Unmarshal(frames[0], &a)
		var list []struct{ Name string }
		json.Unmarshal(a.Accounts, &list)
		if !a.OK || !a.Truncated || len(list)+a.Omitted != n || len(list) < n/2 || list[0].Name != "account-0000" {
			t.Errorf("%s: ok %v truncated %v, %d accounts + %d omitted", typ, a.OK, a.Truncated, len(list), a.Omitted)
		}
	}
}

// TestEncodeBudget checks the cut at its edge: items that fill the frame
// to the byte are all sent, one more byte and the last one is omitted.
func TestEncodeBudget(t *testing.T) {
	item := func(n int) []byte { return appendString(nil, strings.Repeat("x", n-2)) }
	fixed := len(encode(nil, nil, "v", result{list: "candidates"}, nil)) // ...,"candidates":[]}
	const count = 4
	size := (frame.MaxResponse - fixed - truncation - (count - 1)) / count
	items := [][]byte{item(size), item(size), item(size), item(size)}
	got := encode(nil, nil, "v", result{list: "candidates", items: items}, nil)
	if len(got) > frame.MaxResponse || bytes.Contains(got, []byte("truncated")) {
		t.Fatalf("%d items of %d bytes: %d bytes, truncated %v", count, size, len(got), bytes.Contains(got, []byte("truncated")))
	}
	items[count-1] = item(frame.MaxResponse)
	got = encode(nil, nil, "v", result{list: "candidates", items: items}, nil)
	if len(got) > frame.MaxResponse || !bytes.HasSuffix(got, []byte(`,"truncated":true,"omitted":1}`)) || !json.Valid(got) {
		t.Fatalf("oversized last item: %d bytes, ends %q", len(got), got[len(got)-40:])
	}
}

// session is a host serving over pipes, for tests that talk to it in turns.
type session struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan int
}

func startSession(t *testing.T, home string) *session {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &session{in: inW, out: bufio.NewReader(outR), done: make(chan int, 1)}
	srv := newServer(callers["chrome"], home, nil, func() time.Time { return fixedNow }, zerolog.New(io.Discard))
	go func() {
		s.done <- srv.serve(inR, outW, io.Discard)
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close() })
	return s
}

func (s *session) ask(t *testing.T, req string) answer {
	t.Helper()
	if _, err := s.in.Write(frameOf([]byte(req))); err != nil {
		t.Fatal(err)
	}
	body, err := frame.Read(s.out)
	if err != nil {
		t.Fatal(err)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSessionSeesVaultChanges: a long connectNative session keeps the vault
// open, but a change made meanwhile by the CLI must show in the next answer.
func TestSessionSeesVaultChanges(t *testing.T) {
	home := t.TempDir()
	store := makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	s := startSession(t, home)
	const req = `{"type":"code","origin":"https://www.amazon.co.jp","email":"jp@example.com"}`
	if a := s.ask(t, req); a.Account.Name != "shop-jp" || a.Code != codeAt(t, 0, fixedNow) {
		t.Fatalf("first answer %+v", a)
	}
	s.ask(t, req) // from the session's memo
	err := store.Update(func(as []otp.Account) ([]otp.Account, error) {
		as[0].Name = "renamed"
		return append(as, testAccount(t, 1, "second", "jp2@example.com", "jp")), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := s.ask(t, req); a.Account.Name != "renamed" {
		t.Errorf("after the rename: %+v", a)
	}
	if a := s.ask(t, `{"type":"hello"}`); string(a.Accounts) != "2" {
		t.Errorf("hello after the add: %s accounts", a.Accounts)
	}
	if err := os.Remove(store.Path(vault.VaultFile)); err != nil {
		t.Fatal(err)
	}
	if a := s.ask(t, req); errCode(a) != codeVaultMissing {
		t.Errorf("after the vault was removed: %+v", a)
	}
	s.in.Close()
	if status := <-s.done; status != 0 {
		t.Errorf("exit status %d at EOF", status)
	}
}

// TestSessionLogCapped: a long session must not grow the request log past
// the cap logging.File enforces at open.
func TestSessionLogCapped(t *testing.T) {
	home := t.TempDir()
	l := &sessionLog{home: home}
	line := []byte(strings.Repeat("x", 99) + "\n")
	for range 40_000 { // 4 MB
		if _, err := l.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	for _, name := range []string{logName, logName + ".1"} {
		fi, err := os.Stat(filepath.Join(home, logging.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 1<<20+reopenEvery {
			t.Errorf("%s is %d bytes", name, fi.Size())
		}
	}
}

// TestAnswerBeforeLog: the browser waits for the answer, not for the log,
// so the host writes the answer before it so much as opens the log file.
func TestAnswerBeforeLog(t *testing.T) {
	home := t.TempDir()
	makeVault(t, home, testAccount(t, 0, "shop-jp", "jp@example.com", "jp"))
	logPath := filepath.Join(home, logging.Dir, logName)
	var logAtAnswer []bool
	stdout := writerFunc(func(p []byte) (int, error) {
		_, err := os.Stat(logPath)
		logAtAnswer = append(logAtAnswer, err == nil)
		return len(p), nil
	})
	t.Setenv("NIDAN_HOME", home)
	req := frameOf([]byte(`{"type":"code","origin":"https://www.amazon.co.jp"}`))
	if status := Main(callers["chrome"], bytes.NewReader(req), stdout, io.Discard); status != 0 {
		t.Fatalf("exit status %d", status)
	}
	if len(logAtAnswer) == 0 || logAtAnswer[0] {
		t.Errorf("log file present when the answer was written (%v); want it opened only after", logAtAnswer)
	}
	if b, err := os.ReadFile(logPath); err != nil || !bytes.Contains(b, []byte(`"outcome":"ok"`)) {
		t.Errorf("request log %q, %v; want the request's line after the answer", b, err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestRequestLog checks the one line per request: its fields, and nothing
// secret (the golden tests also scan every log for seeds and codes).
func TestRequestLog(t *testing.T) {
	home := homes(t)["several"]
	_, _, logs, stderr := run(t, callers["chrome"], home, frameOf([]byte(`{"type":"code","origin":"https://www.amazon.co.jp","email":"jp@example.com"}`)))
	var line struct {
		Level, Type, Origin, Account, Outcome string
		Duration                              *float64
	}
	if err := json.Unmarshal(logs, &line); err != nil {
		t.Fatalf("%v: %s", err, logs)
	}
	if line.Type != "code" || line.Origin != "https://www.amazon.co.jp" || line.Account != "shop-jp" || line.Outcome != "ok" || line.Duration == nil {
		t.Errorf("log line %s", logs)
	}
	if len(stderr) != 0 {
		t.Errorf("stderr is not quiet on success: %s", stderr)
	}
}

// FuzzDecodeRequest: any body decodes to a request or a bad_request, never
// a panic; an id kept for echoing is valid JSON within the cap; and the
// answer built from it is one valid JSON object.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello"}`, `{"type":"code","origin":"https://www.amazon.co.jp","account":"a","email":"e@x","id":1}`,
		`{"id":{"a":[1,2]},"type":"list"}`, `{"type":"codes","type":"codes"}`, `{"type":1}`, `[]`, `null`, `"x"`,
		`{"type":"code","origin":null}`, `{"Type":"hello"}`, "{\"type\":\"\xff\"}", `{"type":"hello"} {}`, `{`, ``,
		` { "\u0074ype" : "co\"de" , "x" : [ {"}":"]"} , 1e5 ] , "origin" : "https:\/\/a" } `, `{"a":{},"b":[],"type":"x","id":-0.5e-3}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeRequest(body)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != codeBadRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
		}
		if req.id != nil && (!json.Valid(req.id) || len(req.id) > maxID) {
			t.Fatalf("id %q", req.id)
		}
		var e *Error
		if err != nil {
			e = err.(*Error)
		} else {
			agreeWithEncodingJSON(t, body, req)
		}
		if out := encode(nil, req.id, "v", result{}, e); !json.Valid(out) || out[0] != '{' {
			t.Fatalf("answer %q", out)
		}
	})
}

// agreeWithEncodingJSON checks the hand-walked decoder against
// encoding/json on a body both accept.
func agreeWithEncodingJSON(t *testing.T, body []byte, req request) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decodeRequest accepted what encoding/json refuses: %v", err)
	}
	if !bytes.Equal(m["id"], req.id) {
		t.Fatalf("id %q, encoding/json %q", req.id, m["id"])
	}
	for key, got := range map[string]string{"type": req.typ, "origin": req.origin, "account": req.account, "email": req.email} {
		var want string
		json.Unmarshal(m[key], &want)
		if got != want {
			t.Fatalf("%s %q, encoding/json %q", key, got, want)
		}
	}
}

// FuzzAppendString: the answer encoder's strings read back as what
// encoding/json makes of the same string, invalid UTF-8 included.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "shop-jp", `a"b\c`, "\x00\x1f\n\r\t\x7f", "日本語 ✓", "\xff\xfe", "a\u2028b", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := appendString(nil, s)
		var got, want string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q encodes as invalid JSON %q: %v", s, out, err)
		}
		ref, _ := json.Marshal(s)
		json.Unmarshal(ref, &want)
		if got != want {
			t.Fatalf("%q reads back as %q, encoding/json's as %q", s, got, want)
		}
	})
}

func BenchmarkDecodeRequest(b *testing.B) {
	body := []byte(`{"type":"code","origin":"https://www.amazon.co.jp","email":"user@example.com","id":7}`)
	for b.Loop() {
		if _, err := decodeRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSession measures code requests served in one connectNative
// session, framing and the request log included.
func BenchmarkSession(b *testing.B) {
	home := b.TempDir()
	makeVault(b, home, testAccount(b, 0, "shop-jp", "jp@example.com", "jp"))
	req := frameOf([]byte(`{"type":"code","origin":"https://www.amazon.co.jp","email":"jp@example.com","id":1}`))
	stdin := bytes.Repeat(req, b.N)
	srv := newServer(callers["chrome"], home, nil, time.Now, zerolog.New(io.Discard))
	b.ResetTimer()
	if status := srv.serve(bytes.NewReader(stdin), io.Discard, io.Discard); status != 0 {
		b.Fatal(status)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkColdRequest measures what one sendNativeMessage costs inside the
// process, before and after which only the Go runtime's start and exit
// remain: a fresh server opens the vault, answers one code request, logs.
func BenchmarkColdRequest(b *testing.B) {
	home := b.TempDir()
	makeVault(b, home, testAccount(b, 0, "shop-jp", "jp@example.com", "jp"))
	req := frameOf([]byte(`{"type":"code","origin":"https://www.amazon.co.jp","email":"jp@example.com","id":1}`))
	for b.Loop() {
		srv := newServer(callers["chrome"], home, nil, time.Now, zerolog.New(io.Discard))
		l := &sessionLog{home: home}
		if status := srv.serve(bytes.NewReader(req), io.Discard, l); status != 0 {
			b.Fatal(status)
		}
		l.Close()
	}
}

// TestInternalError: a failure nidan has no code for (here the home is a
// file, not a folder) is "internal" to the extension, and said on stderr
// and in the log, which is where the detail goes.
func TestInternalError(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if err := os.WriteFile(home, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stdout, logs, stderr := run(t, callers["chrome"], home, frameOf([]byte(`{"type":"code","origin":"https://www.amazon.co.jp"}`)))
	var a answer
	json.Unmarshal(splitFrames(t, stdout)[0], &a)
	if errCode(a) != codeInternal || strings.Contains(a.Error.Message, home) {
		t.Errorf("answer %+v", a)
	}
	if !bytes.Contains(stderr, []byte("not a directory")) || !bytes.Contains(logs, []byte("not a directory")) {
		t.Errorf("the cause is not reported:\nstderr %s\nlog %s", stderr, logs)
	}
}
