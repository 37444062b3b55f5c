package main

import (
	"archive/tar"
	"archive/zip"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// entry is one file or folder of an archive, path relative to the archive's
// root with forward slashes.
type entry struct {
	name string
	dir  bool
	exec bool
	src  string
}

// walk lists dir's tree under root ("" for none), in lexical order
// (WalkDir's), so the order never depends on the file system.
func walk(dir, root string) ([]entry, error) {
	dir = filepath.Clean(dir)
	var out []entry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := path.Join(root, filepath.ToSlash(rel))
		switch {
		case d.IsDir() && name == ".":
			// the root itself, when the archive has no top folder
		case d.IsDir():
			out = append(out, entry{name: name + "/", dir: true})
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			out = append(out, entry{name: name, exec: info.Mode()&0o111 != 0, src: p})
		default:
			return fmt.Errorf("%s is neither a file nor a folder (hint: copy the file itself into the staging folder)", p)
		}
		return nil
	})
	return out, err
}

// mode is what every archive records: 0755 for folders and programs, 0644
// otherwise, whatever the umask of the machine that built it.
func (e entry) mode() fs.FileMode {
	if e.dir || e.exec {
		return 0o755
	}
	return 0o644
}

// packDir writes dir's tree into out, a .tar.gz or a .zip by its name, under
// the folder root ("" for the tree's files at the top, as the browser stores
// want an extension's manifest.json).
func packDir(out, dir, root string, mtime time.Time) error {
	entries, err := walk(dir, root)
	if err != nil {
		return fmt.Errorf("archive %s: %w", dir, err)
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	switch {
	case strings.HasSuffix(out, ".tar.gz"):
		err = writeTarGz(f, entries, mtime)
	case strings.HasSuffix(out, ".zip"), strings.HasSuffix(out, ".xpi"):
		err = writeZip(f, entries, mtime)
	default:
		err = fmt.Errorf("unknown archive kind (hint: name it .tar.gz, .zip or .xpi)")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return fmt.Errorf("archive %s: %w", out, err)
	}
	return nil
}

// writeTarGz: owners 0 with no names, one mtime, and a gzip header with
// neither a file name nor a time (what gzip -n does).
func writeTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: int64(e.mode()), ModTime: mtime, Format: tar.FormatUSTAR}
		if e.dir {
			h.Typeflag = tar.TypeDir
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			continue
		}
		data, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		h.Typeflag, h.Size = tar.TypeReg, int64(len(data))
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip: one mtime (zip keeps local time to 2 s; with UTC here and the
// extended-time field archive/zip adds, every machine writes the same bytes).
func writeZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(e.mode())
		if e.dir {
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | e.mode())
			if _, err := zw.CreateHeader(h); err != nil {
				return err
			}
			continue
		}
		data, err := os.ReadFile(e.src)
		if err != nil {
			return err
		}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}
