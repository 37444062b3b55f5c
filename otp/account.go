// Package otp holds nidan's accounts: what a TOTP account is, how it is
// parsed from what people paste (otpauth URIs, Amazon's spaced Base32 keys),
// and how its codes are made (RFC 6238, through github.com/pquerna/otp).
package otp

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"nidan.dev/nidan/otp/market"
)

// Algorithm is the HMAC hash of a TOTP account.
type Algorithm string

const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Defaults are RFC 6238's and what Amazon uses.
const (
	DefaultDigits = 6
	DefaultPeriod = 30
	maxNameLen    = 64
	maxFieldLen   = 256
)

// Errors matched with errors.Is. Messages say what is wrong; none quotes a
// secret.
var (
	ErrInvalidName      = errors.New("invalid account name")
	ErrInvalidAlgorithm = errors.New("invalid algorithm")
	ErrInvalidDigits    = errors.New("invalid digits")
	ErrInvalidPeriod    = errors.New("invalid period")
	ErrInvalidField     = errors.New("invalid field")
)

// Account is one TOTP account. Name is the user's handle for it and is unique
// in a vault; Label is usually the e-mail address the account signs in with,
// which is how the extension picks the account on a sign-in page.
type Account struct {
	Name   string
	Issuer string
	Label  string
	// Marketplaces are the market keys the account is bound to. None means
	// every Amazon marketplace when the issuer is Amazon's, and no host at
	// all otherwise (see Bound).
	Marketplaces []string
	Secret       Secret
	Algorithm    Algorithm
	Digits       int
	Period       int
	// PhoneBackup records the user's word that a phone holds the same key,
	// a second code source independent of this PC.
	PhoneBackup bool
}

// Bound reports whether the account is bound to any Amazon host. One with
// marketplaces is bound to them: the user chose them. One without is bound
// to every marketplace only when its issuer is Amazon (market.AmazonIssuer);
// any other account (imported from a phone's export, added from another
// service's QR code) is kept as a backup and never filled into an Amazon
// page until the user binds it with `nidan edit NAME --marketplace KEY`.
//
// The rule reads the issuer rather than a stored flag so that vaults
// written before it need no rewrite: their GitHub or Google accounts, once
// bound to "every marketplace" by default, stop being offered to Amazon
// pages the moment this version reads them.
func (a Account) Bound() bool {
	return len(a.Marketplaces) > 0 || market.AmazonIssuer(a.Issuer)
}

// Hosts returns the sign-in hosts the account is bound to; none when it is
// not bound.
func (a Account) Hosts() []string {
	if !a.Bound() {
		return nil
	}
	return market.Hosts(a.Marketplaces)
}

// BoundTo reports whether the account may receive codes for host.
func (a Account) BoundTo(host string) bool {
	return a.Bound() && market.Bound(a.Marketplaces, host)
}

// ValidateName checks a user-chosen account name: printable, one line, at
// most 64 characters, not starting with '-' (it would read as a flag).
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: it is empty", ErrInvalidName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: it is not valid UTF-8", ErrInvalidName)
	case utf8.RuneCountInString(name) > maxNameLen:
		return fmt.Errorf("%w: longer than %d characters", ErrInvalidName, maxNameLen)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("%w: %q starts with '-'", ErrInvalidName, name)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%w: %q starts or ends with a space", ErrInvalidName, name)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: %q holds a control character", ErrInvalidName, name)
		}
	}
	return nil
}

func validateField(what, v string) error {
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxFieldLen {
		return fmt.Errorf("%w: %s is not valid UTF-8 of at most %d characters", ErrInvalidField, what, maxFieldLen)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s holds a control character", ErrInvalidField, what)
		}
	}
	return nil
}

// Validate checks every field. An account that passes can make codes.
func (a Account) Validate() error {
	if err := ValidateName(a.Name); err != nil {
		return err
	}
	if err := validateField("issuer", a.Issuer); err != nil {
		return err
	}
	if err := validateField("label", a.Label); err != nil {
		return err
	}
	for _, k := range a.Marketplaces {
		if _, ok := market.ByKey(k); !ok {
			return &market.UnknownKeyError{Key: k}
		}
	}
	if a.Secret.IsZero() {
		return fmt.Errorf("%w: it is empty", ErrInvalidSecret)
	}
	switch a.Algorithm {
	case SHA1, SHA256, SHA512:
	default:
		return fmt.Errorf("%w: %q (use SHA1, SHA256 or SHA512)", ErrInvalidAlgorithm, a.Algorithm)
	}
	if a.Digits != 6 && a.Digits != 8 {
		return fmt.Errorf("%w: %d (use 6 or 8)", ErrInvalidDigits, a.Digits)
	}
	if a.Period < 1 || a.Period > 3600 {
		return fmt.Errorf("%w: %d seconds (use 1 to 3600; Amazon uses 30)", ErrInvalidPeriod, a.Period)
	}
	return nil
}
