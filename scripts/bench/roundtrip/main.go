// Command roundtrip is the whole-process half of scripts/bench.sh. It makes
// vaults of 1, 1,000 and 10,000 accounts through the vault package, then
// starts each program many times exactly as a browser's sendNativeMessage
// does (argv of the Chromium extension, one `code` request on stdin, the
// answer read from stdout, exit) and reports the median wall time, and the
// peak RSS measured by /usr/bin/time. Runs of all programs are interleaved, so
// that a slow moment of the machine hits them alike and the ratios, all
// taken in this one run, stay fair. It also measures a connectNative-style
// session: one process, many code requests, pipelined.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"nidan.dev/nidan/otp/vault"
)

const (
	chromeOrigin = "chrome-extension://dcdddbcbipkamcfhjaingbomnchlkenp/"
	seed         = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// The marketplaces the bench accounts are spread over, as sellers' are.
var markets = [][]string{{"jp"}, {"us"}, {"uk", "de", "fr", "it", "es"}, {"jp", "us"}, nil}

func main() {
	host := flag.String("host", "", "the nidan binary to measure")
	echo := flag.String("echo", "", "the minimal Go host (scripts/bench/echohost)")
	floor := flag.String("floor", "", "the libraries' floor (scripts/bench/libfloor)")
	var extra []string
	flag.Func("also", "another build to time with the 1-account vault, for comparison (repeatable)", func(s string) error {
		extra = append(extra, s)
		return nil
	})
	today := flag.String("today", "", "the host as it was before the vault folder and devices (issue 16), to time against")
	todayHome := flag.String("today-home", "", "a 1-account home made by that build's own CLI")
	runs := flag.Int("runs", 300, "cold round trips per program")
	sessionN := flag.Int("session", 100_000, "code requests in the session run")
	work := flag.String("work", "", "scratch folder (default: a temporary one)")
	flag.Parse()
	if *host == "" || *echo == "" || *floor == "" {
		fmt.Fprintln(os.Stderr, "usage: roundtrip -host BIN -echo BIN -floor BIN [-runs N] [-session N]")
		os.Exit(2)
	}
	if err := run(*host, *echo, *floor, extra, baseline{*today, *todayHome}, *runs, *sessionN, *work); err != nil {
		fmt.Fprintln(os.Stderr, "roundtrip:", err)
		os.Exit(1)
	}
}

// program is one command line measured cold.
type program struct {
	name  string
	argv  []string
	env   []string
	stdin []byte // one framed request, or nil
	times []time.Duration
	rss   int64 // peak KiB, 0 when unknown
}

// baseline is an older build of the host with a home it can read.
type baseline struct{ bin, home string }

func run(host, echo, floor string, extra []string, today baseline, runs, sessionN int, work string) error {
	if work == "" {
		dir, err := os.MkdirTemp("", "nidan-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	sizes := []int{1, 1000, 10000}
	homes := map[int]string{}
	var err error
	for _, n := range sizes {
		home := filepath.Join(work, fmt.Sprintf("home-%d", n))
		if err := makeVault(vault.Store{Dir: home}, n); err != nil {
			return fmt.Errorf("making the %d-account vault: %w", n, err)
		}
		homes[n] = home
	}
	// The extension's normal request: the origin of the tab and the e-mail
	// typed at sign-in. The account sits in the middle of the big vaults.
	request := func(n int) []byte {
		i := n / 2
		return frame(fmt.Appendf(nil, `{"type":"code","origin":"https://%s","email":"user%d@example.com","id":1}`, hostOf(i), i))
	}
	programs := []*program{
		{name: "minimal Go host (echohost)", argv: []string{echo}, stdin: request(1)},
		{name: "oathtool --totp --base32 (C floor)", argv: []string{"oathtool", "--totp", "--base32", seed}},
		{name: "echohost + linking age, otp, zerolog (libfloor -init-only)", argv: []string{floor, "-init-only"}, stdin: request(1)},
		{name: "age + otp + zerolog only (libfloor)", argv: []string{floor},
			env: append(os.Environ(), "NIDAN_HOME="+homes[1]), stdin: request(1)},
	}
	for _, n := range sizes {
		programs = append(programs, &program{
			name:  fmt.Sprintf("%s code, %d account(s)", filepath.Base(host), n),
			argv:  []string{host, chromeOrigin},
			env:   append(os.Environ(), "NIDAN_HOME="+homes[n]),
			stdin: request(n),
		})
	}
	// Issue 16: the vault in a synced folder, encrypted to three devices.
	shared := filepath.Join(work, "home-shared")
	if err := makeSharedVault(shared); err != nil {
		return fmt.Errorf("making the shared vault: %w", err)
	}
	programs = append(programs, &program{
		name:  fmt.Sprintf("%s code, vault dir + 3 devices, 1 account(s)", filepath.Base(host)),
		argv:  []string{host, chromeOrigin},
		env:   append(os.Environ(), "NIDAN_HOME="+shared),
		stdin: request(1),
	})
	if today.bin != "" {
		programs = append(programs, &program{
			name:  "today's host (before issue 16), 1 account(s)",
			argv:  []string{today.bin, chromeOrigin},
			env:   append(os.Environ(), "NIDAN_HOME="+today.home),
			stdin: request(1),
		})
	}
	for _, bin := range extra {
		programs = append(programs, &program{
			name:  fmt.Sprintf("%s code, 1 account(s)", filepath.Base(bin)),
			argv:  []string{bin, chromeOrigin},
			env:   append(os.Environ(), "NIDAN_HOME="+homes[1]),
			stdin: request(1),
		})
	}
	for _, p := range programs { // warm the page cache and check the answers
		if err := p.once(true); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		p.times = nil
		if p.rss, err = peakRSS(p); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	order := slices.Clone(programs)
	for range runs {
		// A new order each round, so that no program always follows the
		// same one.
		rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, p := range order {
			if err := p.once(false); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
		}
	}
	rates := map[int]float64{}
	for _, n := range []int{1, 10000} {
		if rates[n], err = session(host, homes[n], n, sessionN); err != nil {
			return fmt.Errorf("session: %w", err)
		}
	}
	report(programs, runs, rates, sessionN)
	return nil
}

func hostOf(i int) string {
	switch keys := markets[i%len(markets)]; {
	case len(keys) == 0 || keys[0] == "jp":
		return "www.amazon.co.jp"
	case keys[0] == "us":
		return "www.amazon.com"
	default:
		return "sellercentral-europe.amazon.com"
	}
}

func frame(msg []byte) []byte {
	return append(binary.NativeEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

// once starts the program, sends its request, reads the whole answer and
// waits for the exit: the round trip a sendNativeMessage costs.
func (p *program) once(check bool) error {
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Env = p.env
	var stdin io.WriteCloser
	var err error
	if p.stdin != nil {
		if stdin, err = cmd.StdinPipe(); err != nil {
			return err
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	var answer []byte
	if stdin != nil {
		stdin.Write(p.stdin)
		var head [4]byte
		if _, err := io.ReadFull(stdout, head[:]); err != nil {
			cmd.Wait()
			return fmt.Errorf("no answer: %w", err)
		}
		answer = make([]byte, binary.NativeEndian.Uint32(head[:]))
		if _, err := io.ReadFull(stdout, answer); err != nil {
			cmd.Wait()
			return fmt.Errorf("cut answer: %w", err)
		}
		stdin.Close() // EOF: the browser's side of sendNativeMessage
	} else if answer, err = io.ReadAll(stdout); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	p.times = append(p.times, time.Since(start))
	if check && p.stdin != nil && !bytes.Contains(answer, []byte(`"ok":true`)) {
		return fmt.Errorf("answer %s", answer)
	}
	return nil
}

// peakRSS runs the program under GNU time a few times and returns the
// largest peak RSS in KiB. wait4's ru_maxrss as seen by this harness would
// not do: Go starts children with vfork semantics, and Linux carries the
// parent's high-water mark into the child's at exec, so every program would
// report this harness's own size.
func peakRSS(p *program) (int64, error) {
	const timeBin = "/usr/bin/time"
	if _, err := os.Stat(timeBin); err != nil {
		return 0, nil
	}
	var peak int64
	for range 5 {
		cmd := exec.Command(timeBin, append([]string{"-f", "maxrss %M"}, p.argv...)...)
		cmd.Env = p.env
		cmd.Stdin = bytes.NewReader(p.stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("%v: %s", err, stderr.Bytes())
		}
		var kib int64
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if _, err := fmt.Sscanf(lines[len(lines)-1], "maxrss %d", &kib); err != nil {
			return 0, fmt.Errorf("reading GNU time's output %q: %w", stderr.Bytes(), err)
		}
		peak = max(peak, kib)
	}
	return peak, nil
}

// session sends n code requests to one process as fast as it takes them,
// reading answers concurrently (connectNative), and returns requests/s.
func session(host, home string, accounts, n int) (float64, error) {
	cmd := exec.Command(host, chromeOrigin)
	cmd.Env = append(os.Environ(), "NIDAN_HOME="+home)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	i := accounts / 2
	req := frame(fmt.Appendf(nil, `{"type":"code","origin":"https://%s","email":"user%d@example.com","id":1}`, hostOf(i), i))
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	go func() {
		w := bufio.NewWriterSize(stdin, 64<<10)
		for range n {
			w.Write(req)
		}
		w.Flush()
		stdin.Close()
	}()
	r := bufio.NewReaderSize(stdout, 64<<10)
	var head [4]byte
	var body []byte
	for i := range n {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return 0, fmt.Errorf("answer %d: %w", i, err)
		}
		body = slices.Grow(body[:0], int(binary.NativeEndian.Uint32(head[:])))[:binary.NativeEndian.Uint32(head[:])]
		if _, err := io.ReadFull(r, body); err != nil {
			return 0, err
		}
		if i == 0 {
			var a struct{ OK bool }
			if json.Unmarshal(body, &a); !a.OK {
				return 0, fmt.Errorf("answer %s", body)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func median(xs []time.Duration) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func mb(kib int64) string {
	if kib == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MB", float64(kib)/1024)
}

func report(ps []*program, runs int, rates map[int]float64, sessionN int) {
	echo, linked, floor, one, thousand, tenThousand, shared := ps[0], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7]
	var today *program
	if len(ps) > 8 && strings.HasPrefix(ps[8].name, "today's") {
		today = ps[8]
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "cold round trip (%d runs each, interleaved)\tmedian\tmin\tp90\tpeak RSS\t\n", runs)
	for _, p := range ps {
		s := slices.Clone(p.times)
		slices.Sort(s)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t\n", p.name, ms(median(p.times)), ms(s[0]), ms(s[len(s)*9/10]), mb(p.rss))
	}
	for _, n := range []int{1, 10000} {
		fmt.Fprintf(w, "connectNative session, %d code requests, %d account(s)\t%.0f req/s\t\t\t\t\n", sessionN, n, rates[n])
	}
	w.Flush()
	fmt.Println()
	ratio := func(a, b *program) float64 { return float64(median(a.times)) / float64(median(b.times)) }
	w = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "target\tmeasured\tlimit\t\t")
	check := func(what, measured, limit string, ok bool) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", what, measured, limit, verdict(ok))
	}
	r := ratio(one, echo)
	check("cold trip, 1 account / minimal Go host", fmt.Sprintf("%.2f×", r), "≤ 1.5×", r <= 1.5)
	r = ratio(thousand, one)
	check("cold trip, 1,000 accounts / 1 account", fmt.Sprintf("%.2f×", r), "≤ 1.2×", r <= 1.2)
	r = ratio(tenThousand, one)
	check("cold trip, 10,000 accounts / 1 account", fmt.Sprintf("%.2f×", r), "≤ 3×", r <= 3)
	r = ratio(shared, one)
	check("cold trip, vault dir + 3 devices / vault in the home", fmt.Sprintf("%.3f×", r), "≤ 1.05×", r <= 1.05)
	if today != nil {
		r = ratio(shared, today)
		check("cold trip, vault dir + 3 devices / today's host", fmt.Sprintf("%.3f×", r), "≤ 1.05×", r <= 1.05)
	}
	check("connectNative session", fmt.Sprintf("%.0f req/s", rates[1]), "≥ 50,000 req/s", rates[1] >= 50_000)
	check("peak RSS, 1 account", mb(one.rss), "≤ 10 MB", one.rss > 0 && one.rss <= 10*1024)
	check("peak RSS, 10,000 accounts", mb(tenThousand.rss), "≤ 20 MB", tenThousand.rss > 0 && tenThousand.rss <= 20*1024)
	w.Flush()
	fmt.Printf("\nwhere the cold trip goes, against the minimal Go host: linking the required libraries (their package init) %.2f×; using them for one code, with no checks (libfloor) %.2f×; nidan-host %.2f×, which is %.2f× libfloor\n",
		ratio(linked, echo), ratio(floor, echo), ratio(one, echo), ratio(one, floor))
	fmt.Printf("\nload average at the end: %s (the ratios are of medians; on a busy machine they move, the minimums less so: 1 account / minimal Go host is %.2f× by minimum)\n",
		loadavg(), float64(slices.Min(one.times))/float64(slices.Min(echo.times)))
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
