package otp

import (
	"encoding/base32"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func b32(s string) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte(s))
}

func mustSecret(t testing.TB, s string) Secret {
	t.Helper()
	sec, err := ParseSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	return sec
}

// TestRFC6238 runs the test vectors of RFC 6238 appendix B through nidan's
// own code path, with the clock injected.
func TestRFC6238(t *testing.T) {
	seeds := map[Algorithm]string{
		SHA1:   "12345678901234567890",
		SHA256: "12345678901234567890123456789012",
		SHA512: "1234567890123456789012345678901234567890123456789012345678901234",
	}
	tests := []struct {
		unix int64
		alg  Algorithm
		code string
	}{
		{59, SHA1, "94287082"}, {59, SHA256, "46119246"}, {59, SHA512, "90693936"},
		{1111111109, SHA1, "07081804"}, {1111111109, SHA256, "68084774"}, {1111111109, SHA512, "25091201"},
		{1111111111, SHA1, "14050471"}, {1111111111, SHA256, "67062674"}, {1111111111, SHA512, "99943326"},
		{1234567890, SHA1, "89005924"}, {1234567890, SHA256, "91819424"}, {1234567890, SHA512, "93441116"},
		{2000000000, SHA1, "69279037"}, {2000000000, SHA256, "90698825"}, {2000000000, SHA512, "38618901"},
		{20000000000, SHA1, "65353130"}, {20000000000, SHA256, "77737706"}, {20000000000, SHA512, "47863826"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.alg, tt.unix), func(t *testing.T) {
			a := Account{Name: "rfc", Secret: mustSecret(t, b32(seeds[tt.alg])), Algorithm: tt.alg, Digits: 8, Period: 30}
			got, err := a.Code(time.Unix(tt.unix, 0))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.code {
				t.Errorf("code = %s, want %s", got, tt.code)
			}
		})
	}
}

// TestAmazonSecret checks that a 52-character key shown the way Amazon shows
// it (lowercase groups of four, spaces) gives the codes of its compact form.
func TestAmazonSecret(t *testing.T) {
	compact := b32("an amazon key of thirty-two bytes")[:52]
	var groups []string
	for i := 0; i < len(compact); i += 4 {
		groups = append(groups, strings.ToLower(compact[i:i+4]))
	}
	spaced := strings.Join(groups, " ")
	for _, in := range []string{spaced, " " + spaced + " ", strings.ToUpper(spaced), compact + "====", strings.Join(groups, "-")} {
		a, err := ParseInput(in)
		if err != nil {
			t.Fatalf("ParseInput(%d chars): %v", len(in), err)
		}
		a.Name = "shop"
		ref := Account{Name: "ref", Secret: mustSecret(t, compact), Algorithm: SHA1, Digits: 6, Period: 30}
		for _, at := range []int64{0, 59, 1700000000, 1700000029} {
			got, _ := a.Code(time.Unix(at, 0))
			want, _ := ref.Code(time.Unix(at, 0))
			if got != want {
				t.Fatalf("at %d: spaced form gives %s, compact %s", at, got, want)
			}
		}
	}
}

// TestOathtool cross-checks random secrets, digits and periods against
// oathtool, an independent C implementation.
func TestOathtool(t *testing.T) {
	path, err := exec.LookPath("oathtool")
	if err != nil {
		t.Skip("oathtool is not installed (scripts/test.sh installs it)")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	algs := []Algorithm{SHA1, SHA256, SHA512}
	for i := 0; i < 40; i++ {
		raw := make([]byte, 16+rng.IntN(49))
		for j := range raw {
			raw[j] = byte(rng.UintN(256))
		}
		a := Account{
			Name:      "x",
			Secret:    mustSecret(t, b32(string(raw))),
			Algorithm: algs[i%3],
			Digits:    []int{6, 8}[rng.IntN(2)],
			Period:    []int{15, 30, 60, 90}[rng.IntN(4)],
		}
		at := time.Unix(rng.Int64N(4000000000), 0)
		want, err := exec.Command(path, "--totp="+strings.ToLower(string(a.Algorithm)), "--base32",
			fmt.Sprintf("--digits=%d", a.Digits), fmt.Sprintf("--time-step-size=%ds", a.Period),
			"--now="+at.UTC().Format("2006-01-02 15:04:05 UTC"), a.Secret.Base32()).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		got, err := a.Code(at)
		if err != nil {
			t.Fatal(err)
		}
		if got != strings.TrimSpace(string(want)) {
			t.Errorf("case %d (%s, %d digits, %ds): nidan %s, oathtool %s", i, a.Algorithm, a.Digits, a.Period, got, want)
		}
	}
}

func TestRemaining(t *testing.T) {
	a := Account{Period: 30}
	for _, tt := range []struct {
		unix int64
		want int
	}{{0, 30}, {1, 29}, {29, 1}, {30, 30}, {59, 1}} {
		if got := a.Remaining(time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("Remaining(%d) = %d, want %d", tt.unix, got, tt.want)
		}
	}
}
