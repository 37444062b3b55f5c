package otp

import (
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidSecret is matched by every error about a malformed secret. Its
// messages never quote the secret.
var ErrInvalidSecret = errors.New("invalid secret")

// minSecretBytes is RFC 4226's floor of 128 bits. Amazon issues 256-bit keys.
const minSecretBytes = 16

// Secret is a TOTP seed. It never prints itself: String, GoString, Format and
// the text and JSON marshalers all redact, so that a seed passed to a logger
// or an error by mistake shows up as "[redacted]" instead of leaking. The
// only ways out are Base32 and URI, which callers must ask for by name.
type Secret struct {
	b32 string // canonical: uppercase base32, no padding, no spaces
}

const redacted = "[redacted]"

// ParseSecret accepts a Base32 secret as people meet it: Amazon's "Can't scan
// the barcode?" shows 52 characters in groups of four separated by spaces;
// other sites use lowercase, hyphens or '=' padding. All of those give the
// same Secret.
func ParseSecret(s string) (Secret, error) {
	var b strings.Builder
	// where holds, for each character kept, its group and its place in the
	// group as the user typed them, for an error that points at a typo in
	// a key that was typed hidden.
	var where []position
	group, inGroup := 1, 0
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u3000':
			if inGroup > 0 {
				group, inGroup = group+1, 0
			}
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		inGroup++
		where = append(where, position{group, inGroup})
		b.WriteRune(r)
	}
	canon := strings.TrimRight(b.String(), "=")
	if canon == "" {
		return Secret{}, fmt.Errorf("%w: it is empty", ErrInvalidSecret)
	}
	for i, r := range []rune(canon) {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return Secret{}, notBase32(i, r, where)
		}
	}
	// Decode the padded form, as RFC 4648 and pquerna/otp do: the unpadded
	// decoder accepts lengths (1, 3 or 6 characters past a multiple of 8)
	// that no encoder produces and that the code generator then refuses.
	padded := canon + strings.Repeat("=", (8-len(canon)%8)%8)
	raw, err := base32.StdEncoding.DecodeString(padded)
	if err != nil {
		return Secret{}, fmt.Errorf("%w: %d characters is not a valid Base32 length", ErrInvalidSecret, len(canon))
	}
	if len(raw) < minSecretBytes {
		return Secret{}, fmt.Errorf("%w: %d bits is too short (at least %d)", ErrInvalidSecret, len(raw)*8, minSecretBytes*8)
	}
	return Secret{b32: canon}, nil
}

// position is a character's place in a key as people read it.
type position struct{ group, char int }

// lookAlike maps the digits that Base32 lacks to the letters they are
// mistaken for.
var lookAlike = map[rune]rune{'0': 'O', '1': 'I', '8': 'B'}

// notBase32 says where the character at index i (of the key without
// spaces) stands: in the groups the key was typed in, or, typed unspaced, in
// Amazon's groups of four. Only a look-alike digit is named, with the letter
// meant: the rest of the key stays out of the message.
func notBase32(i int, r rune, where []position) error {
	p := where[i]
	if where[len(where)-1].group == 1 {
		p = position{i/4 + 1, i%4 + 1}
	}
	msg := fmt.Sprintf("group %d, character %d (character %d of the key) is not Base32 (A-Z, 2-7)", p.group, p.char, i+1)
	if l, ok := lookAlike[r]; ok {
		msg += fmt.Sprintf(": the digit %c there is the letter %c", r, l)
	}
	return fmt.Errorf("%w: %s", ErrInvalidSecret, msg)
}

// Base32 reveals the secret in canonical form. Call it only where the seed
// must leave the process on purpose: the encrypted vault, an export.
func (s Secret) Base32() string { return s.b32 }

// IsZero reports whether the secret is unset.
func (s Secret) IsZero() bool { return s.b32 == "" }

// Equal compares two secrets in constant time.
func (s Secret) Equal(o Secret) bool {
	return subtle.ConstantTimeCompare([]byte(s.b32), []byte(o.b32)) == 1
}

func (Secret) String() string               { return redacted }
func (Secret) GoString() string             { return redacted }
func (Secret) Format(f fmt.State, _ rune)   { f.Write([]byte(redacted)) }
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (s *Secret) UnmarshalText(_ []byte) error {
	return errors.New("otp: a secret cannot be read from text; use ParseSecret")
}
