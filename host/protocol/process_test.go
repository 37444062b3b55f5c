package protocol

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nidan.dev/nidan/host/frame"
	"nidan.dev/nidan/host/logging"
)

// The binaries a browser may start: the nidan CLI, which turns into the host
// when started as one, and nidan-host, the host alone.
var binaries = []struct{ name, pkg string }{
	{"nidan", "nidan.dev/nidan/host"},
	{"nidan-host", "nidan.dev/nidan/host/nativehost"},
}

// buildDir holds the binaries once built; TestMain removes it.
var buildDir string

// binEnv names a folder of binaries built already: the Windows lane runs
// these tests under Wine, where there is no go command to build them.
const binEnv = "NIDAN_TEST_BIN"

var buildOnce = sync.OnceValues(func() (string, error) {
	if dir := os.Getenv(binEnv); dir != "" {
		return dir, nil
	}
	dir, err := os.MkdirTemp("", "nidan-process-test-")
	if err != nil {
		return "", err
	}
	buildDir = dir
	for _, b := range binaries {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, b.name), b.pkg).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return dir, nil
})

func TestMain(m *testing.M) {
	status := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(status)
}

// hostProcess is a built binary started as a browser starts it.
type hostProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	raw    bytes.Buffer // every byte of stdout, for the stdout rule
	stderr bytes.Buffer
}

func startHost(t *testing.T, bin, home string, args ...string) *hostProcess {
	t.Helper()
	p := &hostProcess{cmd: exec.Command(bin, args...)}
	p.cmd.Env = append(os.Environ(), "NIDAN_HOME="+home)
	p.cmd.Stderr = &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdout = bufio.NewReader(io.TeeReader(out, &p.raw))
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

func (p *hostProcess) send(t *testing.T, data []byte) {
	t.Helper()
	if _, err := p.stdin.Write(data); err != nil {
		t.Fatal(err)
	}
}

func (p *hostProcess) read(t *testing.T) answer {
	t.Helper()
	body, err := frame.Read(p.stdout)
	if err != nil {
		t.Fatalf("reading an answer: %v (stderr %s)", err, p.stderr.Bytes())
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// wait waits for the exit, without closing stdin first when the host must
// exit on its own, and checks the stdout rule on everything it wrote.
func (p *hostProcess) wait(t *testing.T, want int) {
	t.Helper()
	io.Copy(io.Discard, p.stdout)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the host did not exit")
	}
	if got := p.cmd.ProcessState.ExitCode(); got != want {
		t.Errorf("exit status %d, want %d (stderr %s)", got, want, p.stderr.Bytes())
	}
	splitFrames(t, p.raw.Bytes())
}

// currentCodes are the codes of seed i for the step of now and its
// neighbours: a step may turn between the host's clock and the test's.
func currentCodes(t *testing.T, i int) []string {
	now := time.Now()
	return []string{codeAt(t, i, now.Add(-30*time.Second)), codeAt(t, i, now), codeAt(t, i, now.Add(30*time.Second))}
}

// TestProcess starts each built binary exactly as Chromium and Firefox do,
// with a vault made through the vault package, and talks to it over pipes.
func TestProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	dir, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	makeVault(t, home,
		testAccount(t, 0, "shop-jp", "jp@example.com", "jp"),
		testAccount(t, 1, "shop-jp-2", "jp2@example.com", "jp"),
		testAccount(t, 2, "seller-eu", "eu@example.com", "de", "fr"),
	)
	argv := map[string][]string{
		"chromium": {ChromeOrigin},
		"windows":  {ChromeOrigin, "--parent-window=1234"},
		"firefox":  {filepath.Join(home, "dev.nidan.host.json"), FirefoxID},
	}
	const codeReq = `{"type":"code","origin":"https://www.amazon.co.jp","email":"jp@example.com","id":%d}`
	for _, b := range binaries {
		bin := filepath.Join(dir, b.name)
		t.Run(b.name, func(t *testing.T) {
			for caller, args := range argv {
				t.Run(caller+"/sendNativeMessage", func(t *testing.T) {
					p := startHost(t, bin, home, args...)
					p.send(t, frameOf(fmt.Appendf(nil, codeReq, 1)))
					p.stdin.Close()
					a := p.read(t)
					if !a.OK || a.Account.Name != "shop-jp" || !slices.Contains(currentCodes(t, 0), a.Code) {
						t.Errorf("answer %+v", a)
					}
					p.wait(t, 0)
					if p.stderr.Len() != 0 {
						t.Errorf("stderr is not quiet: %s", p.stderr.Bytes())
					}
				})
			}
			t.Run("connectNative 1000 requests", func(t *testing.T) {
				p := startHost(t, bin, home, argv["chromium"]...)
				const n = 1000
				go func() {
					for i := range n {
						// A mix, as a popup and several tabs would send.
						req := fmt.Appendf(nil, codeReq, i)
						switch i % 4 {
						case 1:
							req = fmt.Appendf(nil, `{"type":"code","origin":"https://sellercentral-europe.amazon.com","id":%d}`, i)
						case 2:
							req = fmt.Appendf(nil, `{"type":"hello","id":%d}`, i)
						case 3:
							req = fmt.Appendf(nil, `{"type":"codes","id":%d}`, i)
						}
						p.stdin.Write(frameOf(req))
					}
					p.stdin.Close()
				}()
				for i := range n {
					a := p.read(t)
					if string(a.ID) != fmt.Sprint(i) || !a.OK {
						t.Fatalf("answer %d: %+v", i, a)
					}
					switch i % 4 {
					case 0:
						if !slices.Contains(currentCodes(t, 0), a.Code) {
							t.Fatalf("answer %d: code of %s", i, a.Account.Name)
						}
					case 1:
						if a.Account.Name != "seller-eu" || !slices.Contains(currentCodes(t, 2), a.Code) {
							t.Fatalf("answer %d: code of %s", i, a.Account.Name)
						}
					}
				}
				p.wait(t, 0)
			})
			t.Run("oversize length", func(t *testing.T) {
				p := startHost(t, bin, home, argv["chromium"]...)
				p.send(t, binary.NativeEndian.AppendUint32(nil, 0xFFFFFFFF))
				// stdin stays open: the host must answer and exit on its own.
				if a := p.read(t); errCode(a) != codeTooLarge {
					t.Errorf("answer %+v", a)
				}
				p.wait(t, 1)
			})
			t.Run("garbage", func(t *testing.T) {
				p := startHost(t, bin, home, argv["firefox"]...)
				p.send(t, []byte("Hello, is this the vault?\n\x00\xff\xfe"))
				if a := p.read(t); errCode(a) != codeTooLarge {
					t.Errorf("answer %+v", a)
				}
				p.wait(t, 1)
			})
			for name, stream := range map[string][]byte{
				"truncated length": {0x10, 0x00},
				"truncated body":   append(binary.NativeEndian.AppendUint32(nil, 100), `{"type":"hel`...),
			} {
				t.Run(name, func(t *testing.T) {
					p := startHost(t, bin, home, argv["chromium"]...)
					p.send(t, frameOf([]byte(`{"type":"hello","id":"first"}`)))
					p.send(t, stream)
					p.stdin.Close()
					if a := p.read(t); !a.OK || string(a.ID) != `"first"` {
						t.Errorf("first answer %+v", a)
					}
					if a := p.read(t); errCode(a) != codeBadRequest {
						t.Errorf("answer to the cut frame %+v", a)
					}
					p.wait(t, 1)
				})
			}
			t.Run("zero length and bad JSON keep the session", func(t *testing.T) {
				p := startHost(t, bin, home, argv["chromium"]...)
				p.send(t, []byte{0, 0, 0, 0})
				p.send(t, frameOf([]byte("{\"type\":\"\xff\"}")))
				p.send(t, frameOf([]byte(`[1,2]`)))
				p.send(t, frameOf(fmt.Appendf(nil, codeReq, 9)))
				p.stdin.Close()
				for i := range 3 {
					if a := p.read(t); errCode(a) != codeBadRequest {
						t.Errorf("answer %d: %+v", i, a)
					}
				}
				if a := p.read(t); !a.OK || string(a.ID) != "9" {
					t.Errorf("answer after the bad frames: %+v", a)
				}
				p.wait(t, 0)
			})
			for name, args := range map[string][]string{
				"forbidden chromium caller": {"chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"},
				"forbidden firefox caller":  {filepath.Join(home, "dev.nidan.host.json"), "evil@example.com"},
			} {
				t.Run(name, func(t *testing.T) {
					p := startHost(t, bin, home, args...)
					p.send(t, frameOf([]byte(`{"type":"hello"}`)))
					p.send(t, frameOf(fmt.Appendf(nil, codeReq, 2)))
					p.stdin.Close()
					for range 2 {
						if a := p.read(t); errCode(a) != codeForbiddenCaller || a.Code != "" {
							t.Errorf("answer %+v", a)
						}
					}
					p.wait(t, 0)
					if !bytes.Contains(p.stderr.Bytes(), []byte("not nidan's extension")) {
						t.Errorf("stderr does not report the caller: %s", p.stderr.Bytes())
					}
				})
			}
		})
	}
	// Every request above left a log line; none holds a seed or a code.
	logs, err := os.ReadFile(filepath.Join(home, logging.Dir, logName))
	if err != nil {
		t.Fatal(err)
	}
	var codes [][]byte
	for i := range 3 {
		for _, c := range currentCodes(t, i) {
			codes = append(codes, []byte(`{"code":"`+c+`"}`))
		}
	}
	assertNoSecrets(t, codes, logs)
	if lines := strings.Count(string(logs), "\n"); lines < 2*1000 {
		t.Errorf("%d log lines for over 2000 requests", lines)
	}
}
