// Package recipient parses the extra age recipients of a nidan home's
// recipients file: X25519 (age1…) and post-quantum hybrid (age1pq1…) keys,
// SSH public keys (ssh-ed25519, ssh-rsa) and age plugin recipients (e.g.
// age1yubikey1… for a YubiKey), each of which the vault and backups are
// encrypted to.
//
// It links x/crypto/ssh and age's plugin client, so only the CLI uses it;
// the slim native host keeps age's core parser.
package recipient

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/plugin"
)

// Errors matched with errors.Is.
var (
	ErrInvalid       = errors.New("invalid age recipient")
	ErrPluginMissing = errors.New("the age plugin for this recipient is not installed")
)

// Kinds of recipient, as `nidan recipients list` names them.
const (
	KindX25519 = "X25519"
	KindHybrid = "post-quantum hybrid"
	KindSSH    = "SSH"
	KindPlugin = "plugin"
)

// Recipient is one parsed line.
type Recipient struct {
	age.Recipient
	// Kind is one of the Kind constants; Plugin names the plugin for
	// KindPlugin ("yubikey").
	Kind, Plugin string
	// Text is the recipient as written, trimmed; SSH keys keep their
	// comment.
	Text string
}

// UI is how a plugin talks to the user while wrapping (a YubiKey's touch
// prompt): messages on stderr, questions on the terminal.
var UI = plugin.NewTerminalUI(
	func(format string, v ...any) { fmt.Fprintf(os.Stderr, "age plugin: "+format+"\n", v...) },
	func(format string, v ...any) { fmt.Fprintf(os.Stderr, "age plugin: warning: "+format+"\n", v...) },
)

// Parse parses one recipient. A plugin recipient is accepted only when its
// plugin binary, age-plugin-NAME, is on PATH: without it the vault could not
// be written.
func Parse(s string) (Recipient, error) {
	s = strings.TrimSpace(s)
	r := Recipient{Text: s}
	var err error
	switch {
	case strings.HasPrefix(s, "ssh-"):
		r.Kind = KindSSH
		if r.Recipient, err = agessh.ParseRecipient(s); err != nil {
			return Recipient{}, fmt.Errorf("%w: not a valid SSH public key (ssh-ed25519 or ssh-rsa, as in a .pub file)", ErrInvalid)
		}
	case strings.HasPrefix(s, "age1pq1"):
		r.Kind = KindHybrid
		if r.Recipient, err = age.ParseHybridRecipient(s); err != nil {
			return Recipient{}, fmt.Errorf("%w: not a valid post-quantum age public key", ErrInvalid)
		}
	case strings.HasPrefix(s, "age1"):
		if x, err := age.ParseX25519Recipient(s); err == nil {
			r.Kind, r.Recipient = KindX25519, x
			break
		}
		name, _, err := plugin.ParseRecipient(s)
		if err != nil {
			return Recipient{}, fmt.Errorf("%w: not a valid age public key (age1…)", ErrInvalid)
		}
		if _, err := exec.LookPath("age-plugin-" + name); err != nil {
			return Recipient{}, fmt.Errorf("%w: install age-plugin-%s and make sure it is on PATH", ErrPluginMissing, name)
		}
		p, err := plugin.NewRecipient(s, UI)
		if err != nil {
			return Recipient{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		r.Kind, r.Plugin, r.Recipient = KindPlugin, name, p
	case strings.HasPrefix(s, "AGE-SECRET-KEY-") || strings.HasPrefix(s, "AGE-PLUGIN-") || strings.Contains(s, "PRIVATE KEY"):
		// Say so without echoing it: this is a private key, pasted by
		// mistake, and it must not end up in a file other users may read.
		return Recipient{}, fmt.Errorf("%w: that is a private key; give its public key (age1…, ssh-…)", ErrInvalid)
	default:
		return Recipient{}, fmt.Errorf("%w: expected an age public key (age1…), an SSH public key (ssh-ed25519 …, ssh-rsa …) or a plugin recipient (age1yubikey1…)", ErrInvalid)
	}
	return r, nil
}

// ParseAll reads a recipients file: one recipient per line, blank lines and
// # comments ignored.
func ParseAll(f io.Reader) ([]Recipient, error) {
	var out []Recipient
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, err := Parse(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the recipients: %w", err)
	}
	return out, nil
}

// ParseFile is ParseAll in the shape of vault.Store.ParseRecipients.
func ParseFile(f io.Reader) ([]age.Recipient, error) {
	rs, err := ParseAll(f)
	if err != nil {
		return nil, err
	}
	out := make([]age.Recipient, len(rs))
	for i, r := range rs {
		out[i] = r.Recipient
	}
	return out, nil
}

// Same reports whether two recipients are the same key: SSH keys compare
// without their comment.
func Same(a, b Recipient) bool {
	if a.Kind == KindSSH && b.Kind == KindSSH {
		return sshKey(a.Text) == sshKey(b.Text)
	}
	return a.Text == b.Text
}

func sshKey(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 {
		return s
	}
	return f[0] + " " + f[1]
}

// ErrBadIdentity is matched by errors about an identity file given to open
// a backup. Messages never quote the file: it holds private keys.
var ErrBadIdentity = errors.New("invalid identity file")

// ParseIdentities reads an identity file that opens what was encrypted to
// these recipients: age keys (AGE-SECRET-KEY-1…, one per line), plugin
// identities (AGE-PLUGIN-…), or an unencrypted SSH private key.
func ParseIdentities(data []byte) ([]age.Identity, error) {
	if strings.Contains(string(data), "-----BEGIN") {
		id, err := agessh.ParseIdentity(data)
		if err != nil {
			return nil, fmt.Errorf("%w: not an unencrypted ed25519 or RSA SSH private key (a passphrase-protected key must be decrypted first, e.g. a copy with ssh-keygen -p)", ErrBadIdentity)
		}
		return []age.Identity{id}, nil
	}
	var ids []age.Identity
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		var id age.Identity
		var err error
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "AGE-PLUGIN-"):
			id, err = plugin.NewIdentity(line, UI)
		case strings.HasPrefix(line, "AGE-SECRET-KEY-PQ-1"):
			id, err = age.ParseHybridIdentity(line)
		default:
			id, err = age.ParseX25519Identity(line)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: line %d is not an age identity", ErrBadIdentity, n)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: it holds no identity", ErrBadIdentity)
	}
	return ids, nil
}
