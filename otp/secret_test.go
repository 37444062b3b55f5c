package otp

import (
	"errors"
	"strings"
	"testing"
)

// TestParseSecretTypo checks that a typo in a key typed hidden is pointed at
// by group and character, with the letter meant for a look-alike digit, and
// that the message quotes nothing else of the key.
func TestParseSecretTypo(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"spaced, digit 0", "mfzw k3tf ojsx e330 mfzw k3tf ojsx e33e",
			"group 4, character 4 (character 16 of the key) is not Base32 (A-Z, 2-7): the digit 0 there is the letter O"},
		{"spaced, digit 1", "mfzw 1ktf ojsx e33e mfzw k3tf ojsx e33e",
			"group 2, character 1 (character 5 of the key) is not Base32 (A-Z, 2-7): the digit 1 there is the letter I"},
		{"spaced, digit 8", "mfzw k3tf ojsx e33e mfzw k3tf ojs8 e33e",
			"group 7, character 4 (character 28 of the key) is not Base32 (A-Z, 2-7): the digit 8 there is the letter B"},
		{"unspaced: groups of four", "JB1WY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
			"group 1, character 3 (character 3 of the key) is not Base32 (A-Z, 2-7): the digit 1 there is the letter I"},
		{"unspaced, later group", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3P9P",
			"group 8, character 3 (character 31 of the key) is not Base32 (A-Z, 2-7)"},
		{"groups as typed, not of four", "jbswy3 dpe!pk3pxp jbswy3dpehpk3pxp",
			"group 2, character 4 (character 10 of the key) is not Base32 (A-Z, 2-7)"},
		{"hyphens and leading space", " mfzw-k3tf-o$sx-e33e",
			"group 3, character 2 (character 10 of the key) is not Base32 (A-Z, 2-7)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSecret(tc.in)
			if !errors.Is(err, ErrInvalidSecret) {
				t.Fatalf("err = %v, want ErrInvalidSecret", err)
			}
			if got := strings.TrimPrefix(err.Error(), "invalid secret: "); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			for _, g := range strings.Fields(strings.ToUpper(tc.in)) {
				if len(g) >= 3 && strings.Contains(strings.ToUpper(err.Error()), g) {
					t.Errorf("the message quotes %q of the key", g)
				}
			}
		})
	}
}
