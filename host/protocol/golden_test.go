package protocol

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the response sections of testdata/golden")

// TestGolden runs every testdata/golden/*.txtar case: the header names the
// vault state (homes), the caller (callers) and the exit status; the
// "request" section is one request body, framed by the test, or
// "stdin.hex" gives the raw bytes of stdin; "response" holds the answer
// frames, one JSON body per line, with the home's path written $NIDAN_HOME.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	homes := homes(t)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			hdr := header(t, ar.Comment)
			home, ok := homes[hdr["vault"]]
			if !ok {
				t.Fatalf("unknown vault %q", hdr["vault"])
			}
			args, ok := callers[hdr["caller"]]
			if !ok {
				t.Fatalf("unknown caller %q", hdr["caller"])
			}
			var stdin []byte
			respAt := -1
			for i, f := range ar.Files {
				switch f.Name {
				case "request":
					stdin = append(stdin, frameOf(bytes.TrimSuffix(f.Data, []byte("\n")))...)
				case "stdin.hex":
					stdin = append(stdin, hexStream(t, string(f.Data))...)
				case "response":
					respAt = i
				default:
					t.Fatalf("unknown section %q", f.Name)
				}
			}
			status, stdout, logs, stderr := run(t, args, home, stdin)
			frames := splitFrames(t, stdout)
			assertNoSecrets(t, frames, logs, stderr)
			if want := hdr["exit"]; strconv.Itoa(status) != want {
				t.Errorf("exit status %d, want %s", status, want)
			}
			if n := bytes.Count(logs, []byte("\n")) - bytes.Count(logs, []byte(`"level":"warn"`)); n != len(frames) {
				t.Errorf("%d request log lines for %d answers:\n%s", n, len(frames), logs)
			}
			// Messages name files in the home, which is a fresh folder.
			got := bytes.ReplaceAll(append(bytes.Join(frames, []byte("\n")), '\n'), []byte(home), []byte("$NIDAN_HOME"))
			if *update {
				if respAt < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "response"})
					respAt = len(ar.Files) - 1
				}
				ar.Files[respAt].Data = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if respAt < 0 {
				t.Fatal("no response section (run with -update)")
			}
			if want := ar.Files[respAt].Data; !bytes.Equal(got, want) {
				t.Errorf("answers differ\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// header parses the "key: value" lines before the first section.
func header(t *testing.T, comment []byte) map[string]string {
	t.Helper()
	h := map[string]string{"exit": "0"}
	for _, line := range strings.Split(strings.TrimSpace(string(comment)), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("bad header line %q", line)
		}
		h[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return h
}
