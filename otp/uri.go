package otp

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalidURI is matched by every error about a malformed otpauth URI, and
// ErrHOTP by a counter-based (HOTP) one, which nidan does not support: Amazon
// only issues time-based keys. No message quotes the URI: it holds the secret.
var (
	ErrInvalidURI = errors.New("invalid otpauth URI")
	ErrHOTP       = errors.New("HOTP (counter-based) accounts are not supported, only TOTP")
)

// ParseURI parses an otpauth://totp/ URI as written by Key Uri Format
// (issuer, secret, algorithm, digits, period). The account's Name is the
// label, which callers may override.
func ParseURI(raw string) (Account, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Account{}, fmt.Errorf("%w: it does not parse as a URL", ErrInvalidURI)
	}
	if !strings.EqualFold(u.Scheme, "otpauth") {
		return Account{}, fmt.Errorf("%w: the scheme is not otpauth", ErrInvalidURI)
	}
	switch strings.ToLower(u.Host) {
	case "totp":
	case "hotp":
		return Account{}, ErrHOTP
	default:
		return Account{}, fmt.Errorf("%w: the type %q is neither totp nor hotp", ErrInvalidURI, u.Host)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Account{}, fmt.Errorf("%w: the query does not parse", ErrInvalidURI)
	}
	a := Account{Algorithm: SHA1, Digits: DefaultDigits, Period: DefaultPeriod}

	label := strings.TrimPrefix(u.Path, "/")
	if issuer, rest, ok := strings.Cut(label, ":"); ok {
		a.Issuer, label = strings.TrimSpace(issuer), strings.TrimSpace(rest)
	}
	a.Label = label
	if v := q.Get("issuer"); v != "" {
		a.Issuer = v
	}
	a.Name = a.Label
	if a.Name == "" {
		a.Name = a.Issuer
	}

	if a.Secret, err = ParseSecret(q.Get("secret")); err != nil {
		return Account{}, err
	}
	if v := q.Get("algorithm"); v != "" {
		a.Algorithm = Algorithm(strings.ToUpper(v))
	}
	if v := q.Get("digits"); v != "" {
		if a.Digits, err = strconv.Atoi(v); err != nil {
			return Account{}, fmt.Errorf("%w: %q is not a number", ErrInvalidDigits, v)
		}
	}
	if v := q.Get("period"); v != "" {
		if a.Period, err = strconv.Atoi(v); err != nil {
			return Account{}, fmt.Errorf("%w: %q is not a number", ErrInvalidPeriod, v)
		}
	}
	// The name is the caller's to settle (it may be overridden); every other
	// field must be sound now.
	probe := a
	probe.Name = "probe"
	if err := probe.Validate(); err != nil {
		return Account{}, err
	}
	return a, nil
}

// URI writes the account as an otpauth URI, the format every authenticator
// app imports. It holds the secret: call it only for a deliberate export.
func (a Account) URI() string {
	label := a.Label
	if label == "" {
		label = a.Name
	}
	if a.Issuer != "" {
		label = a.Issuer + ":" + label
	}
	q := url.Values{}
	q.Set("secret", a.Secret.b32)
	if a.Issuer != "" {
		q.Set("issuer", a.Issuer)
	}
	q.Set("algorithm", string(a.Algorithm))
	q.Set("digits", strconv.Itoa(a.Digits))
	q.Set("period", strconv.Itoa(a.Period))
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + label, RawQuery: q.Encode()}
	return u.String()
}

// ParseInput reads what a user pastes into `nidan add`: an otpauth URI or a
// bare Base32 secret as Amazon shows it. A bare secret gets Amazon's
// parameters (SHA1, 6 digits, 30 s) and no name.
func ParseInput(s string) (Account, error) {
	s = strings.TrimSpace(s)
	if len(s) >= len("otpauth:") && strings.EqualFold(s[:len("otpauth:")], "otpauth:") {
		return ParseURI(s)
	}
	if strings.Contains(s, "://") {
		return Account{}, fmt.Errorf("%w: only otpauth:// URIs are accepted", ErrInvalidURI)
	}
	secret, err := ParseSecret(s)
	if err != nil {
		return Account{}, err
	}
	return Account{Issuer: "Amazon", Secret: secret, Algorithm: SHA1, Digits: DefaultDigits, Period: DefaultPeriod}, nil
}
