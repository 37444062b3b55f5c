package recipient_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"nidan.dev/nidan/otp/recipient"
	"nidan.dev/nidan/otp/recipient/recipienttest"
)

func TestMain(m *testing.M) {
	recipienttest.RunPluginIfInvoked()
	os.Exit(m.Run())
}

func sshKeys(t *testing.T) (pub string, priv []byte) {
	pk, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	spk, err := ssh.NewPublicKey(pk)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(sk, "")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(spk))) + " backup@laptop", pem.EncodeToMemory(block)
}

// roundTrip encrypts to r and decrypts with ids.
func roundTrip(t *testing.T, r age.Recipient, ids ...age.Identity) {
	t.Helper()
	var b bytes.Buffer
	w, err := age.Encrypt(&b, r)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "vault")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := age.Decrypt(&b, ids...)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(rd); string(got) != "vault" {
		t.Errorf("got %q", got)
	}
}

func TestKinds(t *testing.T) {
	x, _ := age.GenerateX25519Identity()
	pq, _ := age.GenerateHybridIdentity()
	sshPub, sshPriv := sshKeys(t)
	plugID, plugRecipient, plugIdentity := recipienttest.Install(t)

	for _, tc := range []struct {
		text, kind string
		identity   []byte
	}{
		{x.Recipient().String(), recipient.KindX25519, []byte(x.String())},
		{pq.Recipient().String(), recipient.KindHybrid, []byte(pq.String())},
		{sshPub, recipient.KindSSH, sshPriv},
		{plugRecipient, recipient.KindPlugin, []byte(plugIdentity)},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r, err := recipient.Parse("  " + tc.text + "\n")
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tc.kind || r.Text != tc.text {
				t.Errorf("got %q %q", r.Kind, r.Text)
			}
			ids, err := recipient.ParseIdentities(tc.identity)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, r, ids...)
		})
	}
	r, _ := recipient.Parse(plugRecipient)
	if r.Plugin != recipienttest.Name {
		t.Errorf("plugin %q", r.Plugin)
	}
	roundTrip(t, r, plugID) // the fake plugin wraps to its X25519 key
}

func TestParseErrors(t *testing.T) {
	x, _ := age.GenerateX25519Identity()
	_, plugRecipient, _ := recipienttest.Install(t)
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct {
		text string
		want error
		msg  string
	}{
		{"", recipient.ErrInvalid, "expected an age public key"},
		{"hello", recipient.ErrInvalid, "expected an age public key"},
		{"age1qqqq", recipient.ErrInvalid, "not a valid age public key"},
		{"age1pq1qqqq", recipient.ErrInvalid, "post-quantum"},
		{"ssh-ed25519 AAAA", recipient.ErrInvalid, "SSH public key"},
		{"ssh-dss AAAAB3NzaC1kc3MAAACBAP", recipient.ErrInvalid, "SSH public key"},
		{x.String(), recipient.ErrInvalid, "that is a private key"},
		{plugRecipient, recipient.ErrPluginMissing, "install age-plugin-nidantest"},
	} {
		_, err := recipient.Parse(tc.text)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %v, want %v with %q", tc.text, err, tc.want, tc.msg)
		}
		if err != nil && strings.Contains(err.Error(), "AGE-SECRET") {
			t.Error("the error quotes a private key")
		}
	}
}

func TestParseFile(t *testing.T) {
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	sshPub, _ := sshKeys(t)
	file := "# backup keys\n" + a.Recipient().String() + "\n\n  " + sshPub + "\n" + b.Recipient().String() + "\n"
	rs, err := recipient.ParseFile(strings.NewReader(file))
	if err != nil || len(rs) != 3 {
		t.Fatalf("got %d, %v", len(rs), err)
	}
	_, err = recipient.ParseFile(strings.NewReader(file + "garbage\n"))
	if !errors.Is(err, recipient.ErrInvalid) || !strings.HasPrefix(err.Error(), "line 6: ") {
		t.Errorf("got %v", err)
	}
}

func TestSame(t *testing.T) {
	sshPub, _ := sshKeys(t)
	a, _ := recipient.Parse(sshPub)
	b, _ := recipient.Parse(strings.TrimSuffix(sshPub, " backup@laptop") + " other comment")
	if !recipient.Same(a, b) {
		t.Error("the same SSH key with another comment is not Same")
	}
	x, _ := age.GenerateX25519Identity()
	c, _ := recipient.Parse(x.Recipient().String())
	if recipient.Same(a, c) {
		t.Error("different keys are Same")
	}
}

func TestParseIdentitiesErrors(t *testing.T) {
	for _, tc := range []struct{ data, msg string }{
		{"", "holds no identity"},
		{"# only a comment\n", "holds no identity"},
		{"AGE-SECRET-KEY-1QQQQ\n", "line 1 is not an age identity"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "not an unencrypted"},
	} {
		_, err := recipient.ParseIdentities([]byte(tc.data))
		if !errors.Is(err, recipient.ErrBadIdentity) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %v", tc.data, err)
		}
	}
}

// FuzzParseAll: no recipients file panics the parser or gets a private key
// quoted back in an error.
func FuzzParseAll(f *testing.F) {
	x, _ := age.GenerateX25519Identity()
	f.Add("# keys\n" + x.Recipient().String() + "\n")
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMlREPlmI84TSw3TgBV0tKmo2Dst/SgsjhDNLiXHrp+9 c\n")
	f.Add("age1yubikey1qgqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0jqxwspvz\n")
	f.Add(x.String() + "\n")
	f.Fuzz(func(t *testing.T, file string) {
		_, err := recipient.ParseAll(strings.NewReader(file))
		if err != nil && strings.Contains(err.Error(), "AGE-SECRET-KEY-1") {
			t.Fatal("an error quotes a private key")
		}
	})
}
