package backup

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
)

func accounts(t *testing.T) []otp.Account {
	s1, _ := otp.ParseSecret("MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E")
	s2, _ := otp.ParseSecret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
	return []otp.Account{
		{Name: "shop-jp", Issuer: "Amazon", Label: "shop@example.jp", Marketplaces: []string{"jp"}, Secret: s1, Algorithm: otp.SHA1, Digits: 6, Period: 30, PhoneBackup: true},
		{Name: "seller de", Issuer: "", Label: "", Secret: s2, Algorithm: otp.SHA512, Digits: 8, Period: 60},
	}
}

func TestRoundTrip(t *testing.T) {
	want := accounts(t)
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	pass, _ := age.NewScryptRecipient("correct horse")
	pass.SetWorkFactor(10)
	passID, _ := age.NewScryptIdentity("correct horse")
	wrongID, _ := age.NewScryptIdentity("battery staple")
	for _, tc := range []struct {
		name string
		to   age.Recipient
		with []age.Identity
		err  error
	}{
		{"key", id.Recipient(), []age.Identity{other, id}, nil},
		{"passphrase", pass, []age.Identity{passID}, nil},
		{"wrong key", id.Recipient(), []age.Identity{other}, ErrNoKey},
		{"wrong passphrase", pass, []age.Identity{wrongID}, ErrWrongPassphrase},
		{"passphrase file, key given", pass, []age.Identity{id}, ErrWrongPassphrase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, want, tc.to); err != nil {
				t.Fatal(err)
			}
			if NeedsPassphrase(b.Bytes()) != (tc.to == pass) {
				t.Error("NeedsPassphrase is wrong")
			}
			got, err := Read(b.Bytes(), tc.with...)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d accounts", len(got))
			}
			for i := range want {
				g, w := got[i], want[i]
				if !g.Secret.Equal(w.Secret) {
					t.Errorf("%d: secret differs", i)
				}
				g.Secret, w.Secret = otp.Secret{}, otp.Secret{}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("%d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	enc := func(plaintext string) []byte {
		var b bytes.Buffer
		w, _ := age.Encrypt(&b, id.Recipient())
		w.Write([]byte(plaintext))
		w.Close()
		return b.Bytes()
	}
	good := enc(string(Encode(accounts(t))))
	for _, tc := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"plain text", []byte("otpauth://totp/x"), ErrNotBackup, "not an age-encrypted file"},
		{"other age file", enc("hello"), ErrNotBackup, "decrypts, but to something else"},
		{"future version", enc(`{"format":"nidan-backup","version":2}`), ErrNotBackup, "version 2"},
		{"bad secret", enc(`{"format":"nidan-backup","version":1,"accounts":[{"name":"x","secret":"!!","algorithm":"SHA1","digits":6,"period":30}]}`), ErrDamaged, "account 1: invalid secret"},
		{"bad digits", enc(`{"format":"nidan-backup","version":1,"accounts":[{"name":"x","secret":"MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E","algorithm":"SHA1","digits":7,"period":30}]}`), ErrDamaged, "invalid digits"},
		{"truncated", good[:len(good)-20], ErrDamaged, "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.data, id)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}

// FuzzDecode: no plaintext panics the decoder, and what it accepts are
// valid accounts that encode and decode to the same.
func FuzzDecode(f *testing.F) {
	var s1 otp.Secret
	s1, _ = otp.ParseSecret("MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E")
	f.Add(Encode([]otp.Account{{Name: "a", Secret: s1, Algorithm: otp.SHA1, Digits: 6, Period: 30, Marketplaces: []string{"jp"}}}))
	f.Add(Encode(nil))
	f.Add([]byte(`{"format":"nidan-backup","version":1,"accounts":[{"name":"x","secret":"!!"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := Decode(data)
		if err != nil {
			return
		}
		again, err := Decode(Encode(as))
		if err != nil || len(again) != len(as) {
			t.Fatalf("re-encoded backup does not decode alike: %v", err)
		}
	})
}
