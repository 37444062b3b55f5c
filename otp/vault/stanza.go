package vault

// Which stanza to try first. age gives each recipient of a file a stanza
// and, by design, nothing says whose it is: a reader tries its identity on
// each in turn, and with X25519 each try costs two curve operations (~64 µs
// here, four scalar multiplications through crypto/ecdh). A vault shared by
// three PCs has three stanzas or more; tried in order, a PC whose stanza
// comes last would pay for the others' on every cold start of the host, ~5%
// of it.
//
// So writers of a shared vault order the X25519 stanzas by recipient, the
// same order whichever PC writes, and each PC remembers in its home (the
// vault-dir file, which Locate reads anyway) the index of its own stanza,
// to try first. The index changes only when the devices do; a miss costs
// the tries it always cost, and rewrites the hint.

import (
	"errors"
	"slices"
	"strings"

	"filippo.io/age"
)

// hinted is the identities of this PC, trying the stanza at first before
// the others, and noting which one opened the file.
type hinted struct {
	ids   []age.Identity
	first int
	found int
}

func (h *hinted) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	try := func(i int) ([]byte, error) {
		for _, id := range h.ids {
			key, err := id.Unwrap(stanzas[i : i+1])
			if err == nil {
				h.found = i
				return key, nil
			}
			if !errors.Is(err, age.ErrIncorrectIdentity) {
				return nil, err
			}
		}
		return nil, age.ErrIncorrectIdentity
	}
	if h.first >= 0 && h.first < len(stanzas) {
		if key, err := try(h.first); !errors.Is(err, age.ErrIncorrectIdentity) {
			return key, err
		}
	}
	for i := range stanzas {
		if i == h.first {
			continue
		}
		if key, err := try(i); !errors.Is(err, age.ErrIncorrectIdentity) {
			return key, err
		}
	}
	return nil, age.ErrIncorrectIdentity
}

// orderStanzas puts the X25519 recipients of a shared vault in one order,
// by key, ahead of the others (SSH keys, plugins), which keep theirs.
func orderStanzas(rs []age.Recipient) []age.Recipient {
	var x, rest []age.Recipient
	for _, r := range rs {
		if _, ok := r.(*age.X25519Recipient); ok {
			x = append(x, r)
		} else {
			rest = append(rest, r)
		}
	}
	slices.SortFunc(x, func(a, b age.Recipient) int {
		return strings.Compare(a.(*age.X25519Recipient).String(), b.(*age.X25519Recipient).String())
	})
	return append(x, rest...)
}

// saveHint remembers the index of this PC's stanza, when it changed and the
// vault folder is the one the home records.
func (s Store) saveHint(found int) {
	if !s.recorded || found == s.stanza {
		return
	}
	s.stanza = found
	s.remember() // best effort: a stale hint costs time, not correctness
}
