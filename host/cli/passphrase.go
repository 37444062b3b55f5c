package cli

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/trustelem/zxcvbn"

	"nidan.dev/nidan/otp"
)

// The strength of a backup passphrase is estimated with zxcvbn (Dropbox's
// estimator: dictionaries, names, keyboard patterns, dates, l33t), here in
// trustelem's Go port. Its matching package builds its ranked dictionaries
// in package-level initialisers, so every nidan command pays for them when
// it starts (about 10 MB and 40-300 ms on a busy two-core machine), though
// only backup --passphrase judges one; nidan-host never links it. It stays
// because nothing cheaper gives the same estimate: the other Go ports the
// module proxy serves (nbutton23's zxcvbn-go and ccojocar's fork) also
// build their lists in init, heavier (about 19 MB), and score with
// zxcvbn's older entropy model. Re-executing nidan to judge the passphrase
// would not help either, since Go runs every linked package's init before
// main: only a separate helper binary would spare the other commands.

// errWeakPassphrase is a weak passphrase the user did not confirm.
var errWeakPassphrase = errors.New("the passphrase is too easy to guess; no backup written")

// strongGuesses is the number of guesses below which a passphrase is weak.
// age's passphrase mode derives the key with scrypt, which slows each guess
// to about 10^4 a second on an attacker's hardware (zxcvbn's "offline, slow
// hash" rate): 10^10 guesses then take about twelve days. scrypt slows the
// guessing; it does not make a guessable passphrase safe.
const strongGuesses = 1e10

// slowHashRate is the guesses a second behind the time that is shown.
const slowHashRate = 1e4

// passphraseWeakness says why pass is weak, or "" when it is not. words
// are what an attacker would try first: the account names and labels.
func passphraseWeakness(pass string, words []string) string {
	r := zxcvbn.PasswordStrength(pass, words)
	if r.Guesses >= strongGuesses {
		return ""
	}
	return fmt.Sprintf("about 10^%.0f guesses find it (zxcvbn's estimate): %s for someone with a copy of the backup, even at the slow rate age's scrypt imposes",
		math.Floor(math.Log10(max(r.Guesses, 1))), crackTime(r.Guesses/slowHashRate))
}

// passphraseWords are the account names and labels, and what the backup is
// obviously about.
func passphraseWords(as []otp.Account) []string {
	words := []string{"nidan", "amazon", "backup", "passphrase"}
	for _, a := range as {
		words = append(words, a.Name, a.Label)
	}
	return words
}

// crackTime words a number of seconds.
func crackTime(s float64) string {
	units := []struct {
		name string
		secs float64
	}{{"year", 365 * 86400}, {"day", 86400}, {"hour", 3600}, {"minute", 60}}
	for _, u := range units {
		if s >= u.secs {
			n := math.Round(s / u.secs)
			return fmt.Sprintf("about %.0f %s%s", n, u.name, strings.Repeat("s", min(1, int(n)-1)))
		}
	}
	return "under a minute"
}

// confirmStrength warns about a weak passphrase and asks whether to use it.
func (c *ctx) confirmStrength(pass string, as []otp.Account) error {
	why := passphraseWeakness(pass, passphraseWords(as))
	if why == "" {
		return nil
	}
	fmt.Fprintf(c.Stderr, "Warning: this passphrase is weak: %s.\n", why)
	ok, err := c.confirm("Use it anyway?")
	if err != nil {
		return err
	}
	if !ok {
		return errWeakPassphrase
	}
	return nil
}
