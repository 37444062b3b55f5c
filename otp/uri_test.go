package otp

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"nidan.dev/nidan/otp/market"
)

const testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

var testTime = time.Unix(1700000000, 0)

func TestParseURI(t *testing.T) {
	tests := []struct {
		uri                 string
		name, issuer, label string
		alg                 Algorithm
		digits, period      int
	}{
		{"otpauth://totp/Amazon:shop%40example.com?secret=" + testSecret + "&issuer=Amazon", "shop@example.com", "Amazon", "shop@example.com", SHA1, 6, 30},
		{"otpauth://totp/alice?secret=" + strings.ToLower(testSecret) + "&algorithm=sha256&digits=8&period=60", "alice", "", "alice", SHA256, 8, 60},
		{"OTPAUTH://TOTP/Amazon%3A%20bob?secret=" + testSecret + "&algorithm=SHA512", "bob", "Amazon", "bob", SHA512, 6, 30},
		{"otpauth://totp/?secret=" + testSecret + "&issuer=Amazon", "Amazon", "Amazon", "", SHA1, 6, 30},
	}
	for _, tt := range tests {
		a, err := ParseURI(tt.uri)
		if err != nil {
			t.Errorf("ParseURI(%q): %v", tt.uri, err)
			continue
		}
		if a.Name != tt.name || a.Issuer != tt.issuer || a.Label != tt.label || a.Algorithm != tt.alg || a.Digits != tt.digits || a.Period != tt.period {
			t.Errorf("ParseURI(%q) = %+v", tt.uri, a)
		}
	}
}

func TestParseErrors(t *testing.T) {
	s := "secret=" + testSecret
	tests := []struct {
		in   string
		want error
	}{
		{"otpauth://hotp/x?" + s + "&counter=1", ErrHOTP},
		{"otpauth://totp/x?secret=", ErrInvalidSecret},
		{"otpauth://totp/x?secret=ABC1", ErrInvalidSecret},
		{"otpauth://totp/x?secret=JBSWY3DP", ErrInvalidSecret},
		{"222222222222222222222222222222222", ErrInvalidSecret}, // 33: not a Base32 length (found by fuzzing)
		{"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJ", ErrInvalidSecret},
		{"otpauth://totp/x?" + s + "&algorithm=MD5", ErrInvalidAlgorithm},
		{"otpauth://totp/x?" + s + "&digits=7", ErrInvalidDigits},
		{"otpauth://totp/x?" + s + "&digits=six", ErrInvalidDigits},
		{"otpauth://totp/x?" + s + "&period=0", ErrInvalidPeriod},
		{"otpauth://totp/x?" + s + "&period=-30", ErrInvalidPeriod},
		{"otpauth://steam/x?" + s, ErrInvalidURI},
		{"https://example.com/?" + s, ErrInvalidURI},
		{"otpauth://totp/x?" + s + "&%zz", ErrInvalidURI},
		{"not base32 at all!", ErrInvalidSecret},
		{"", ErrInvalidSecret},
	}
	for _, tt := range tests {
		_, err := ParseInput(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseInput(%q) = %v, want %v", tt.in, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Errorf("error for %q quotes the secret: %v", tt.in, err)
		}
	}
}

func TestURIRoundTrip(t *testing.T) {
	a, err := ParseURI("otpauth://totp/Amazon:shop%40example.jp?secret=" + testSecret + "&issuer=Amazon&algorithm=SHA256&digits=8&period=60")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseURI(a.URI())
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != b.Name || a.Issuer != b.Issuer || a.Label != b.Label || !a.Secret.Equal(b.Secret) ||
		a.Algorithm != b.Algorithm || a.Digits != b.Digits || a.Period != b.Period {
		t.Errorf("round trip changed the account: %+v → %+v", a, b)
	}
}

// TestSecretRedacts checks every way a secret could be printed by mistake.
func TestSecretRedacts(t *testing.T) {
	a, err := ParseURI("otpauth://totp/x?secret=" + testSecret)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		fmt.Sprint(a.Secret), fmt.Sprintf("%v %+v %#v %s %q %x", a.Secret, a.Secret, a.Secret, a.Secret, a.Secret, a.Secret),
		fmt.Sprintf("%v %+v %#v", a, a, a),
	} {
		if strings.Contains(s, testSecret) || strings.Contains(strings.ToUpper(s), testSecret) {
			t.Errorf("secret printed: %s", s)
		}
	}
	if txt, _ := a.Secret.MarshalText(); strings.Contains(string(txt), testSecret) {
		t.Error("MarshalText leaks the secret")
	}
}

func TestValidate(t *testing.T) {
	good := Account{Name: "shop", Secret: mustSecret(t, testSecret), Algorithm: SHA1, Digits: 6, Period: 30, Marketplaces: []string{"jp"}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	var unknown *market.UnknownKeyError
	bad := good
	bad.Marketplaces = []string{"xx"}
	if err := bad.Validate(); !errors.As(err, &unknown) {
		t.Errorf("unknown marketplace: %v", err)
	}
	for _, name := range []string{"", "-x", " x", "a\nb", strings.Repeat("n", 65)} {
		bad := good
		bad.Name = name
		if err := bad.Validate(); !errors.Is(err, ErrInvalidName) {
			t.Errorf("name %q: %v", name, err)
		}
	}
	bad = good
	bad.Label = "a\tb"
	if err := bad.Validate(); !errors.Is(err, ErrInvalidField) {
		t.Errorf("label with a tab: %v", err)
	}
}

func FuzzParseInput(f *testing.F) {
	for _, s := range []string{
		"otpauth://totp/Amazon:shop%40example.com?secret=" + testSecret + "&issuer=Amazon",
		"otpauth://totp/a?secret=" + testSecret + "&algorithm=SHA512&digits=8&period=60",
		"otpauth://hotp/a?secret=" + testSecret + "&counter=0",
		"jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp",
		"otpauth://totp/%zz?secret=",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		a, err := ParseInput(in)
		if err != nil {
			if !strings.Contains(in, "=") && len(in) > 20 && strings.Contains(err.Error(), in) {
				t.Errorf("error quotes the input: %v", err)
			}
			return
		}
		if a.Name == "" {
			a.Name = "fuzz"
		}
		if ValidateName(a.Name) != nil {
			return
		}
		if _, err := a.Code(testTime); err != nil {
			t.Errorf("a parsed account cannot make a code: %v", err)
		}
	})
}
