package vault

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
)

func TestConflictNames(t *testing.T) {
	for _, tc := range []struct {
		tool, name string
		vault, bak bool
	}{
		{"syncthing", "vault.sync-conflict-20260102-150405-ABCDEFG.age", true, false},
		{"syncthing", "vault.age.sync-conflict-20260102-150405-ABCDEFG.bak", false, true},
		{"dropbox", "vault (Taro's conflicted copy 2026-01-02).age", true, false},
		{"dropbox", "vault (Taro's conflicted copy 2026-01-02 (1)).age", true, false},
		{"dropbox ja", "vault (Taro の競合コピー 2026-01-02).age", true, false},
		{"dropbox", "vault.age (Taro's conflicted copy 2026-01-02).bak", false, true},
		{"google drive", "vault (1).age", true, false},
		{"onedrive", "vault-DESKTOP-AB12CD.age", true, false},
		{"onedrive", "vault.age-LAPTOP.bak", false, true},
		{"the vault", "vault.age", false, false},
		{"its backup", "vault.age.bak", false, false},
		{"a temporary file", ".tmp-vault.age-123456", false, false},
		{"syncthing's temporary file", ".syncthing.vault.age.tmp", false, false},
		{"syncthing, bad date", "vault.sync-conflict-2026-150405-ABCDEFG.age", false, false},
		{"another file", "notes-vault.age", false, false},
	} {
		v, b := conflictCopies([]string{tc.name})
		if (len(v) == 1) != tc.vault || (len(b) == 1) != tc.bak {
			t.Errorf("%s %q: vault copy %v, backup copy %v; want %v, %v", tc.tool, tc.name, len(v) == 1, len(b) == 1, tc.vault, tc.bak)
		}
	}
}

func ent(t *testing.T, name, label string, modified int64) entry {
	return entry{Account: account(t, name, label), modified: modified}
}

func TestMerge(t *testing.T) {
	const day = int64(24 * time.Hour / time.Millisecond)
	now := 1000 * day
	type result struct {
		labels map[string]string // live accounts and their labels
		gone   []string
	}
	for _, tc := range []struct {
		name   string
		copies []contents
		want   result
	}{
		{"adds on both sides are kept", []contents{
			{accounts: []entry{ent(t, "a", "x", 1)}},
			{accounts: []entry{ent(t, "b", "y", 2)}},
		}, result{labels: map[string]string{"a": "x", "b": "y"}}},
		{"the same account twice is one", []contents{
			{accounts: []entry{ent(t, "a", "x", 5)}},
			{accounts: []entry{ent(t, "a", "x", 5)}},
		}, result{labels: map[string]string{"a": "x"}}},
		{"the later edit wins", []contents{
			{accounts: []entry{ent(t, "a", "old", 5)}},
			{accounts: []entry{ent(t, "a", "new", 9)}},
			{accounts: []entry{ent(t, "a", "older", 3)}},
		}, result{labels: map[string]string{"a": "new"}}},
		{"a removal sticks against an older copy", []contents{
			{gone: []tombstone{{goneAccount, "a", now - 10}}},
			{accounts: []entry{ent(t, "a", "x", now-20), ent(t, "b", "y", 6)}},
		}, result{labels: map[string]string{"b": "y"}, gone: []string{"a"}}},
		{"a re-add after the removal wins", []contents{
			{gone: []tombstone{{goneAccount, "a", now - 10}}},
			{accounts: []entry{ent(t, "a", "again", now-9)}},
		}, result{labels: map[string]string{"a": "again"}}},
		{"version 1 copies (no times) lose nothing", []contents{
			{accounts: []entry{ent(t, "a", "x", 0)}},
			{accounts: []entry{ent(t, "b", "y", 0)}},
		}, result{labels: map[string]string{"a": "x", "b": "y"}}},
		{"a tombstone outlives a PC away for months", []contents{
			{gone: []tombstone{{goneAccount, "a", now - 300*day}}},
			{accounts: []entry{ent(t, "a", "x", now-301*day)}},
		}, result{labels: map[string]string{}, gone: []string{"a"}}},
		{"a tombstone older than 400 days is forgotten", []contents{
			{gone: []tombstone{{goneAccount, "a", now - 401*day}}},
		}, result{labels: map[string]string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := merge(now, tc.copies...)
			labels := map[string]string{}
			for _, e := range got.accounts {
				labels[e.Name] = e.Label
			}
			if !maps(labels, tc.want.labels) {
				t.Errorf("accounts %v, want %v", labels, tc.want.labels)
			}
			var gone []string
			for _, g := range got.gone {
				gone = append(gone, g.name)
			}
			if !slices.Equal(gone, tc.want.gone) {
				t.Errorf("tombstones %v, want %v", gone, tc.want.gone)
			}
		})
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestMergeDevices(t *testing.T) {
	d := func(name string, at int64) deviceEntry {
		return deviceEntry{Device{Name: name, Recipient: "age1" + name}, at}
	}
	got := merge(100,
		contents{devices: []deviceEntry{d("pc1", 1), d("pc2", 2)}, gone: []tombstone{{goneDevice, "pc3", 50}}},
		contents{devices: []deviceEntry{d("pc1", 1), d("pc3", 3), d("pc4", 4)}},
	)
	var names []string
	for _, e := range got.devices {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"pc1", "pc2", "pc4"}) {
		t.Errorf("devices %v", names)
	}
}

// Two PCs write apart; the sync tool keeps one side as a conflict copy. A
// reader sees the union at once; the next write merges and cleans up.
func TestConflictCopyMerged(t *testing.T) {
	for _, copyName := range []string{
		"vault.sync-conflict-20260102-150405-ABCDEFG.age",
		"vault (Taro's conflicted copy 2026-01-02).age",
		"vault-LAPTOP.age",
	} {
		t.Run(copyName, func(t *testing.T) {
			root := t.TempDir()
			s := Store{Dir: filepath.Join(root, "home"), VaultDir: filepath.Join(root, "shared")}
			if _, err := s.Init(); err != nil {
				t.Fatal(err)
			}
			add(t, s, account(t, "both", "b"), account(t, "dropped", "d"))
			base, _ := os.ReadFile(s.Path(VaultFile))
			// Side B: adds "b-only", removes "dropped".
			remove(t, s, "dropped")
			add(t, s, account(t, "b-only", "x"))
			sideB, _ := os.ReadFile(s.Path(VaultFile))
			// Side A wrote from the base: adds "a-only". B's file becomes the copy.
			os.WriteFile(s.Path(VaultFile), base, 0o600)
			add(t, s, account(t, "a-only", "y"))
			os.WriteFile(filepath.Join(s.VaultDir, copyName), sideB, 0o600)
			os.WriteFile(filepath.Join(s.VaultDir, "vault.age.sync-conflict-20260102-150405-ABCDEFG.bak"), base, 0o600)

			want := []string{"a-only", "b-only", "both"}
			r, err := s.Open()
			if err != nil {
				t.Fatal(err)
			}
			all, _ := r.All()
			r.Close()
			if got := names(all); !slices.Equal(got, want) {
				t.Errorf("reader sees %v, want %v", got, want)
			}
			before, _ := os.ReadFile(s.Path(VaultFile))
			add(t, s, account(t, "later", "z"))
			if left := s.ConflictCopies(); len(left) != 0 {
				t.Errorf("copies left after a write: %v", left)
			}
			if bak, _ := os.ReadFile(s.Path(BackupFile)); string(bak) != string(before) {
				t.Error("the backup is not the state before the merge")
			}
			r, err = s.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			all, _ = r.All()
			if got := names(all); !slices.Equal(got, append(want, "later")) {
				t.Errorf("after the merge %v", got)
			}
		})
	}
}

func remove(t *testing.T, s Store, name string) {
	t.Helper()
	err := s.Update(func(as []otp.Account) ([]otp.Account, error) {
		return slices.DeleteFunc(as, func(a otp.Account) bool { return a.Name == name }), nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A vault of version 1 (before times, tombstones and devices) opens as it
// is, and the first write turns it into version 2 with this PC as a device.
func TestMigrateVersion1(t *testing.T) {
	s := newStore(t)
	rec := "shop\tAmazon\ta@example.jp\tjp\t" + seed + "\tSHA1\t6\t30\t0\n"
	idx := fmt.Sprintf("n\tshop\t0\t%d\ne\ta@example.jp\t0\t%d\n", len(rec), len(rec))
	pt := magicV1 + fmt.Sprintf("accounts=1 buckets=1 index_bytes=%d record_bytes=%d columns=name,issuer,label,marketplaces,secret,algorithm,digits,period,phone_backup\n", len(idx), len(rec)) +
		fmt.Sprintf("%08x%08x", 0, len(idx)) + idx + rec
	ids, err := s.identities()
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Recipients(ids)
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, rs...)
	w.Write([]byte(pt))
	w.Close()
	os.WriteFile(s.Path(VaultFile), buf.Bytes(), 0o600)

	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	a, err := r.Choose("www.amazon.co.jp", "", "A@example.jp")
	r.Close()
	if err != nil || a.Name != "shop" {
		t.Fatalf("version 1 lookup: %v %v", a.Name, err)
	}
	add(t, s, account(t, "second", ""))
	data, _ := os.ReadFile(s.Path(VaultFile))
	c, err := decryptContents(data, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.accounts) != 2 || len(c.devices) != 1 || c.accounts[0].Name != "second" || c.accounts[0].modified == 0 {
		t.Errorf("after the first write: %d accounts, %d devices, times %d %d", len(c.accounts), len(c.devices), c.accounts[0].modified, c.accounts[1].modified)
	}
}
