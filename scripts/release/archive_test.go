package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func tree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "nidan-1.2.3-linux-amd64")
	for name, mode := range map[string]os.FileMode{"nidan": 0o700, "b/LICENSE": 0o600, "README.md": 0o664, "a/z.txt": 0o644} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode) // past the umask
	}
	return dir
}

// TestArchivesReproducible packs one tree twice (the second time with other
// file times) and wants the same bytes, names sorted, one time and modes
// that ignore the builder's umask.
func TestArchivesReproducible(t *testing.T) {
	mtime := time.Unix(1767225600, 0).UTC()
	for _, tc := range []struct{ out, root string }{
		{"x.tar.gz", "nidan-1.2.3-linux-amd64"},
		{"x.zip", "nidan-1.2.3-linux-amd64"},
		{"flat.zip", ""},
	} {
		t.Run(tc.out, func(t *testing.T) {
			var outs [2][]byte
			for i := range outs {
				dir := tree(t)
				later := time.Now().Add(time.Duration(i) * time.Hour)
				os.Chtimes(filepath.Join(dir, "nidan"), later, later)
				out := filepath.Join(t.TempDir(), tc.out)
				if err := packDir(out, dir, tc.root, mtime); err != nil {
					t.Fatal(err)
				}
				outs[i], _ = os.ReadFile(out)
			}
			if !bytes.Equal(outs[0], outs[1]) {
				t.Fatal("two packs of the same tree differ")
			}
			got := list(t, tc.out, outs[0], mtime)
			want := []string{"a/ 755", "a/z.txt 644", "b/ 755", "b/LICENSE 644", "nidan 755", "README.md 644"}
			slices.Sort(want)
			if tc.root != "" {
				for i := range want {
					want[i] = tc.root + "/" + want[i]
				}
				want = append([]string{tc.root + "/ 755"}, want...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// list reads an archive back: "name mode" per entry, checking times and owners.
func list(t *testing.T, name string, data []byte, mtime time.Time) []string {
	t.Helper()
	var out []string
	if filepath.Ext(name) == ".zip" {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !f.Modified.Equal(mtime) {
				t.Errorf("%s: time %v, want %v", f.Name, f.Modified, mtime)
			}
			out = append(out, f.Name+" "+modeString(f.Mode()))
		}
		return out
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header names %q at %v; want neither", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.Equal(mtime) || h.Uid != 0 || h.Gid != 0 || h.Uname != "" {
			t.Errorf("%s: time %v, owner %d:%d %q", h.Name, h.ModTime, h.Uid, h.Gid, h.Uname)
		}
		out = append(out, h.Name+" "+modeString(os.FileMode(h.Mode)))
	}
}

func modeString(m os.FileMode) string {
	return string([]byte{'0' + byte(m.Perm()>>6&7), '0' + byte(m.Perm()>>3&7), '0' + byte(m.Perm()&7)})
}
