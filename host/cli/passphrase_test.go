package cli

import (
	"strings"
	"testing"
)

func TestPassphraseWeakness(t *testing.T) {
	words := []string{"nidan", "amazon", "shop-jp", "buyer@example.jp"}
	for _, tc := range []struct {
		pass string
		weak bool
	}{
		{"short", true},
		{"password1", true},
		{"Tr0ub4dor&3", false}, // zxcvbn: about 10^11 guesses
		{"shop-jp2024", true},  // an account name and a year
		{"amazonnidan", true},
		{"qwertyuiop", true},
		{"correct horse battery staple", false},
		{"tofu-quasar-pelican-blimp-7", false},
	} {
		why := passphraseWeakness(tc.pass, words)
		if (why != "") != tc.weak {
			t.Errorf("%q: weakness %q, want weak=%v", tc.pass, why, tc.weak)
		}
		if strings.Contains(why, tc.pass) {
			t.Errorf("%q: the warning quotes the passphrase", tc.pass)
		}
	}
}

func TestCrackTime(t *testing.T) {
	for _, tc := range []struct {
		secs float64
		want string
	}{
		{30, "under a minute"},
		{60, "about 1 minute"},
		{3 * 3600, "about 3 hours"},
		{86400 * 12, "about 12 days"},
		{365 * 86400 * 2.2, "about 2 years"},
	} {
		if got := crackTime(tc.secs); got != tc.want {
			t.Errorf("crackTime(%v) = %q, want %q", tc.secs, got, tc.want)
		}
	}
}
