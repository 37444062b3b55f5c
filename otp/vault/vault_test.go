package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"nidan.dev/nidan/otp"
)

const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func account(t testing.TB, name, label string, markets ...string) otp.Account {
	t.Helper()
	sec, err := otp.ParseSecret(seed)
	if err != nil {
		t.Fatal(err)
	}
	return otp.Account{Name: name, Issuer: "Amazon", Label: label, Marketplaces: markets, Secret: sec,
		Algorithm: otp.SHA1, Digits: 6, Period: 30}
}

func newStore(t testing.TB) Store {
	t.Helper()
	s := Store{Dir: filepath.Join(t.TempDir(), "home")}
	if _, err := s.Init(); err != nil {
		t.Fatal(err)
	}
	return s
}

func add(t testing.TB, s Store, as ...otp.Account) {
	t.Helper()
	err := s.Update(func(cur []otp.Account) ([]otp.Account, error) { return append(cur, as...), nil })
	if err != nil {
		t.Fatal(err)
	}
}

func names(as []otp.Account) []string {
	var n []string
	for _, a := range as {
		n = append(n, a.Name)
	}
	return n
}

func TestInit(t *testing.T) {
	s := newStore(t)
	for _, f := range []string{IdentityFile, VaultFile} {
		fi, err := os.Stat(s.Path(f))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %o", f, fi.Mode().Perm())
		}
	}
	if fi, _ := os.Stat(s.Dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("home mode %o", fi.Mode().Perm())
	}
	if _, err := s.Init(); !errors.Is(err, ErrExists) {
		t.Errorf("second init: %v", err)
	}
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Len() != 0 {
		t.Errorf("new vault holds %d accounts", r.Len())
	}
}

func TestRoundTrip(t *testing.T) {
	s := newStore(t)
	a := account(t, "shop jp", "Shop@Example.jp", "jp")
	a.Issuer = `Amazon\Seller` // escaped in the record
	a.Algorithm, a.Digits, a.Period, a.PhoneBackup = otp.SHA512, 8, 60, true
	add(t, s, a, account(t, "buyer", ""))
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Get("shop jp")
	if err != nil {
		t.Fatal(err)
	}
	if got.Issuer != a.Issuer || got.Label != a.Label || !slices.Equal(got.Marketplaces, a.Marketplaces) ||
		!got.Secret.Equal(a.Secret) || got.Algorithm != a.Algorithm || got.Digits != 8 || got.Period != 60 || !got.PhoneBackup {
		t.Errorf("got %+v, want %+v", got, a)
	}
	all, err := r.All()
	if err != nil || !slices.Equal(names(all), []string{"buyer", "shop jp"}) {
		t.Errorf("All = %v, %v", names(all), err)
	}
	if _, err := r.Get("nobody"); !errors.Is(err, ErrUnknownAccount) {
		t.Errorf("Get(nobody) = %v", err)
	}
	if bak, err := os.ReadFile(s.Path(BackupFile)); err != nil || len(bak) == 0 {
		t.Errorf("no backup kept: %v", err)
	}
}

func TestChoose(t *testing.T) {
	s := newStore(t)
	add(t, s,
		account(t, "jp-main", "main@example.jp", "jp"),
		account(t, "jp-sub", "sub@example.jp", "jp"),
		account(t, "de", "eu@example.de", "de"),
		account(t, "us", "", "us"),
		account(t, "uk-a", "same@example.uk", "uk"),
		account(t, "uk-b", "same@example.uk", "uk"),
	)
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tests := []struct {
		host, name, email string
		want              string
		cands             []string
		err               error
	}{
		{"www.amazon.co.jp", "jp-sub", "", "jp-sub", nil, nil},
		{"sellercentral-japan.amazon.com", "", "MAIN@example.jp", "jp-main", nil, nil},
		{"www.amazon.co.jp", "de", "sub@example.jp", "jp-sub", nil, nil}, // named but not bound: fall back to e-mail
		{"www.amazon.co.jp", "", "", "", []string{"jp-main", "jp-sub"}, ErrAmbiguous},
		{"www.amazon.co.jp", "", "eu@example.de", "", []string{"jp-main", "jp-sub"}, ErrAmbiguous},
		{"sellercentral-europe.amazon.com", "", "eu@example.de", "de", nil, nil},
		{"www.amazon.com", "", "", "us", nil, nil},
		{"www.amazon.co.uk", "", "same@example.uk", "", []string{"uk-a", "uk-b"}, ErrAmbiguous},
		{"www.amazon.com.au", "", "", "", nil, ErrNoAccount},
	}
	for _, tt := range tests {
		got, err := r.Choose(tt.host, tt.name, tt.email)
		if !errors.Is(err, tt.err) || got.Name != tt.want {
			t.Errorf("Choose(%s, %q, %q) = %q, %v; want %q, %v", tt.host, tt.name, tt.email, got.Name, err, tt.want, tt.err)
		}
		var amb *AmbiguousError
		if errors.As(err, &amb) && !slices.Equal(amb.Candidates, tt.cands) {
			t.Errorf("Choose(%s, %q, %q) candidates %v, want %v", tt.host, tt.name, tt.email, amb.Candidates, tt.cands)
		}
	}
}

// TestManyAccounts checks the index at a size where buckets hold several
// keys and the vault spans many age chunks.
func TestManyAccounts(t *testing.T) {
	var as []otp.Account
	for i := range 3000 {
		as = append(as, account(t, fmt.Sprintf("acct-%04d", i), fmt.Sprintf("user%d@example.com", i), "us"))
	}
	pt := encode(as)
	p, err := parsePlaintext(bytes.NewReader(pt), int64(len(pt)))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, 1499, 2999} {
		found, err := p.lookup('n', fmt.Sprintf("acct-%04d", i))
		if err != nil || len(found) != 1 || found[0].Label != fmt.Sprintf("user%d@example.com", i) {
			t.Errorf("lookup %d = %v, %v", i, names(found), err)
		}
		found, err = p.lookup('e', fmt.Sprintf("user%d@example.com", i))
		if err != nil || len(found) != 1 || found[0].Name != fmt.Sprintf("acct-%04d", i) {
			t.Errorf("lookup e-mail %d = %v, %v", i, names(found), err)
		}
	}
	all, err := p.all()
	if err != nil || len(all) != 3000 {
		t.Errorf("all: %d, %v", len(all), err)
	}
}

func TestBrokenState(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		s := Store{Dir: t.TempDir()}
		if _, err := s.Open(); !errors.Is(err, ErrMissing) {
			t.Errorf("Open = %v", err)
		}
		if err := s.Update(nil); !errors.Is(err, ErrNoIdentity) && !errors.Is(err, ErrMissing) {
			t.Errorf("Update = %v", err)
		}
	})
	t.Run("no identity", func(t *testing.T) {
		s := newStore(t)
		os.Remove(s.Path(IdentityFile))
		if _, err := s.Open(); !errors.Is(err, ErrNoIdentity) {
			t.Errorf("Open = %v", err)
		}
	})
	t.Run("wrong identity", func(t *testing.T) {
		s, other := newStore(t), newStore(t)
		id, _ := os.ReadFile(other.Path(IdentityFile))
		os.WriteFile(s.Path(IdentityFile), id, 0o600)
		if _, err := s.Open(); !errors.Is(err, ErrWrongIdentity) {
			t.Errorf("Open = %v", err)
		}
	})
	t.Run("bad identity", func(t *testing.T) {
		s := newStore(t)
		os.WriteFile(s.Path(IdentityFile), []byte("AGE-SECRET-KEY-1NOTAKEY\n"), 0o600)
		if _, err := s.Open(); !errors.Is(err, ErrBadIdentity) {
			t.Errorf("Open = %v", err)
		}
	})
	for _, cut := range []int{10, 100, -1} {
		t.Run(fmt.Sprintf("truncated %d", cut), func(t *testing.T) {
			s := newStore(t)
			add(t, s, account(t, "a", ""))
			data, _ := os.ReadFile(s.Path(VaultFile))
			if cut < 0 {
				cut = len(data) - 1
			}
			os.WriteFile(s.Path(VaultFile), data[:cut], 0o600)
			if _, err := s.Open(); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Open = %v", err)
			}
		})
	}
	t.Run("flipped byte", func(t *testing.T) {
		s := newStore(t)
		add(t, s, account(t, "a", ""))
		data, _ := os.ReadFile(s.Path(VaultFile))
		data[len(data)-5] ^= 1
		os.WriteFile(s.Path(VaultFile), data, 0o600)
		if _, err := s.Open(); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Open = %v", err)
		}
	})
	for _, f := range []string{VaultFile, IdentityFile} {
		t.Run("loose "+f, func(t *testing.T) {
			s := newStore(t)
			os.Chmod(s.Path(f), 0o644)
			var perm *PermissionError
			if _, err := s.Open(); !errors.As(err, &perm) || perm.Path != s.Path(f) {
				t.Errorf("Open = %v", err)
			}
		})
	}
}

func TestUpdateRejects(t *testing.T) {
	s := newStore(t)
	add(t, s, account(t, "a", ""))
	before, _ := os.ReadFile(s.Path(VaultFile))
	if err := s.Update(func(as []otp.Account) ([]otp.Account, error) { return append(as, account(t, "a", "")), nil }); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v", err)
	}
	bad := account(t, "b", "")
	bad.Digits = 7
	if err := s.Update(func(as []otp.Account) ([]otp.Account, error) { return append(as, bad), nil }); !errors.Is(err, otp.ErrInvalidDigits) {
		t.Errorf("invalid: %v", err)
	}
	after, _ := os.ReadFile(s.Path(VaultFile))
	if !bytes.Equal(before, after) {
		t.Error("a refused update changed the vault")
	}
}

func TestConcurrentUpdates(t *testing.T) {
	s := newStore(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := s.Update(func(as []otp.Account) ([]otp.Account, error) {
				return append(as, account(t, fmt.Sprintf("a%d", i), "")), nil
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	r, err := s.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Len() != 8 {
		t.Errorf("%d accounts after 8 concurrent adds", r.Len())
	}
}

func TestNoSecretInErrors(t *testing.T) {
	pt := encode([]otp.Account{account(t, "a", "")})
	broken := bytes.Replace(pt, []byte("\t6\t30\t"), []byte("\t7\t30\t"), 1)
	p, err := parsePlaintext(bytes.NewReader(broken), int64(len(broken)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.all()
	if err == nil || strings.Contains(err.Error(), seed) {
		t.Errorf("all() = %v", err)
	}
}

// FuzzDecode feeds arbitrary plaintexts to the decoder: it must answer with
// an error, never panic or hang, and never return an invalid account.
func FuzzDecode(f *testing.F) {
	tb := &testing.T{}
	f.Add(encode(nil))
	f.Add(encode([]otp.Account{account(tb, "a", "a@example.com", "jp")}))
	f.Add(encode([]otp.Account{account(tb, "a", "x"), account(tb, "b\tc", "y", "de", "uk"), account(tb, "c", "")}))
	f.Add([]byte(magic + "\n"))
	f.Add([]byte(magic + "accounts=1 buckets=1 index_bytes=0 record_bytes=0 columns=name,secret\n0000000000000000"))
	f.Add([]byte(magic + "accounts=x buckets=1 buckets=2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parsePlaintext(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not matched by ErrCorrupt: %v", err)
			}
			return
		}
		check := func(as []otp.Account, err error) {
			if err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error not matched by ErrCorrupt: %v", err)
			}
			for _, a := range as {
				if err := a.Validate(); err != nil {
					t.Fatalf("decoded an invalid account: %v", err)
				}
			}
		}
		check(p.all())
		check(p.lookup('n', "a"))
		check(p.lookup('e', "a@example.com"))
	})
}
