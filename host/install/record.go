package install

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"nidan.dev/nidan/otp/atomicfile"
)

// recordName is the file in the nidan home listing what install wrote, so
// that uninstall removes exactly that. Each item lists the browsers it was
// written for: a file two browsers read (Brave and Chrome on macOS, the
// manifests beside the binary on Windows) goes only when both are uninstalled.
const recordName = "installed.json"

const recordVersion = 1

type itemKind string

const (
	kindFile itemKind = "file" // a manifest; Digest is the SHA-256 of what was written
	kindDir  itemKind = "dir"  // a folder install created; removed only when empty
	kindKey  itemKind = "key"  // a registry key; Digest is the default value set, "" for a parent key install created
	// kindProgram is a copy of nidan that a Windows --system install made
	// under %ProgramFiles%; Digest is the SHA-256 of what was copied.
	kindProgram itemKind = "program"
)

type item struct {
	Kind   itemKind `json:"kind"`
	System bool     `json:"system,omitempty"`
	Path   string   `json:"path"`
	Digest string   `json:"digest,omitempty"`
	Owners []string `json:"owners"`
}

func (it item) same(other item) bool {
	return it.Kind == other.Kind && it.System == other.System && it.Path == other.Path
}

type record struct {
	Version int    `json:"version"`
	Items   []item `json:"items"`
}

func digest(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

func loadRecord(path string) (record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return record{Version: recordVersion}, nil
	}
	if err != nil {
		return record{}, fmt.Errorf("read install record: %w", err)
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return record{}, fmt.Errorf("install record %s is damaged (%w): remove it and run `nidan install` again", path, err)
	}
	if rec.Version != recordVersion {
		return record{}, fmt.Errorf("install record %s has version %d; this nidan knows version %d", path, rec.Version, recordVersion)
	}
	return rec, nil
}

// add records that owner needs it, replacing the digest of an existing item.
func (r *record) add(it item, owner string) {
	i := slices.IndexFunc(r.Items, it.same)
	if i < 0 {
		it.Owners = nil
		r.Items = append(r.Items, it)
		i = len(r.Items) - 1
	}
	r.Items[i].Digest = it.Digest
	if !slices.Contains(r.Items[i].Owners, owner) {
		r.Items[i].Owners = append(r.Items[i].Owners, owner)
		slices.Sort(r.Items[i].Owners)
	}
}

// claimAncestors makes owner an owner of every recorded folder or parent key
// that holds path, so a folder one browser created is not removed while
// another browser's manifest still needs it.
func (r *record) claimAncestors(kind itemKind, system bool, path, sep string, owner string) {
	for _, it := range r.Items {
		if it.Kind == kind && it.System == system && it.Digest == "" && strings.HasPrefix(path, it.Path+sep) {
			r.add(it, owner)
		}
	}
}

func (r *record) find(kind itemKind, system bool, path string) bool {
	return slices.ContainsFunc(r.Items, item{Kind: kind, System: system, Path: path}.same)
}

// save writes the record atomically, and only when its bytes change, so a
// second identical install touches nothing. An empty record is removed.
func (r *record) save(path string) error {
	if len(r.Items) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove install record: %w", err)
		}
		return nil
	}
	slices.SortFunc(r.Items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), boolCompare(a.System, b.System), cmp.Compare(a.Path, b.Path))
	})
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode install record: %w", err)
	}
	data = append(data, '\n')
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create nidan home: %w", err)
	}
	return atomicfile.Write(path, data, 0o600)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
