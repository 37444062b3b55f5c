// Package importer reads accounts out of other authenticators' exports —
// otpauth URIs one per line, Google Authenticator's otpauth-migration codes
// (as text or as a QR image), Aegis's plain JSON, 2FAS's unencrypted backup
// and the Authenticator browser extension's JSON — and plans how they merge
// into a vault: a secret already there is skipped, a name already taken gets
// a suffix.
package importer

import (
	"bufio"
	"bytes"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/qr"
)

// Errors matched with errors.Is. No message quotes a secret or a whole URI.
var (
	ErrUnknownFormat = errors.New("unknown file format")
	ErrEncrypted     = errors.New("the export is encrypted")
	ErrUnsupported   = errors.New("unsupported account type")
	ErrNotOTP        = errors.New("the QR code holds no otpauth:// or otpauth-migration:// URI")
	ErrTooLarge      = errors.New("the file is too large")
)

// Formats, as reports name them.
const (
	FormatURIs          = "otpauth URIs"
	FormatGoogle        = "Google Authenticator export"
	FormatAegis         = "Aegis export"
	Format2FAS          = "2FAS backup"
	FormatAuthenticator = "Authenticator extension export"
)

// MaxFile bounds what an import reads; real exports are a few kilobytes.
const MaxFile = 16 << 20

// Entry is one account found in an export.
type Entry struct {
	// Where names the entry in the file: "line 3", "entry 2".
	Where string
	// Account is the account; when Err is set only its Name, Issuer and
	// Label are, for the report.
	Account otp.Account
	// Err says why the entry cannot be imported (HOTP, a bad secret…).
	Err error
}

// Result is what a file holds.
type Result struct {
	Format  string
	Entries []Entry
}

// Parse reads an export, recognising its format from its content.
func Parse(data []byte) (Result, error) {
	if len(data) > MaxFile {
		return Result{}, fmt.Errorf("%w: over %d MiB", ErrTooLarge, MaxFile>>20)
	}
	if qr.IsImage(data) {
		text, err := qr.Decode(bytes.NewReader(data))
		if err != nil {
			return Result{}, err
		}
		if !isOTPURI(text) {
			return Result{}, notOTP(text)
		}
		res, err := parseLines([]byte(text))
		res.Format = "QR image (" + res.Format + ")"
		return res, err
	}
	// Windows editors and some exporters start text with a byte-order mark.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return Result{}, fmt.Errorf("%w: the file is empty", ErrUnknownFormat)
	}
	if trimmed[0] == '{' {
		return parseJSON(trimmed)
	}
	return parseLines(trimmed)
}

func hasScheme(s, scheme string) bool {
	return len(s) > len(scheme)+3 && strings.EqualFold(s[:len(scheme)+3], scheme+"://")
}

func isOTPURI(s string) bool {
	s = strings.TrimSpace(s)
	return hasScheme(s, "otpauth") || hasScheme(s, migration.Scheme)
}

// notOTP says what a QR code holds instead, by its scheme alone: the rest
// could be anything, a secret included.
func notOTP(text string) error {
	scheme, _, ok := strings.Cut(text, ":")
	if ok && scheme != "" && len(scheme) <= 20 && strings.IndexFunc(scheme, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')
	}) < 0 {
		return fmt.Errorf("%w (it holds a %s: link)", ErrNotOTP, strings.ToLower(scheme))
	}
	return fmt.Errorf("%w (it holds %d characters of other text)", ErrNotOTP, len([]rune(text)))
}

// parseLines reads otpauth and otpauth-migration URIs, one per line; blank
// lines and # comments are ignored. A line that is neither kind of URI
// makes the whole file unknown: guessing would import garbage.
func parseLines(data []byte) (Result, error) {
	var res Result
	uris, migrations := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		where := fmt.Sprintf("line %d", n)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case hasScheme(line, migration.Scheme):
			migrations++
			p, err := migration.ParseURI(line)
			if err != nil {
				return Result{}, fmt.Errorf("%s: %w", where, err)
			}
			for i, o := range p.OTP {
				res.Entries = append(res.Entries, fromMigration(fmt.Sprintf("%s, account %d", where, i+1), o))
			}
		case hasScheme(line, "otpauth"):
			uris++
			res.Entries = append(res.Entries, fromURI(where, line))
		default:
			return Result{}, fmt.Errorf("%w: %s is not an otpauth:// URI (expected otpauth URIs one per line, a Google Authenticator export, or an Aegis, 2FAS or Authenticator JSON export)", ErrUnknownFormat, where)
		}
	}
	if err := sc.Err(); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrUnknownFormat, err)
	}
	if len(res.Entries) == 0 {
		return Result{}, fmt.Errorf("%w: the file holds no account", ErrUnknownFormat)
	}
	res.Format = FormatURIs
	if uris == 0 && migrations > 0 {
		res.Format = FormatGoogle
	}
	return res, nil
}

func fromURI(where, line string) Entry {
	a, err := otp.ParseURI(line)
	if err == nil {
		err = readNidanParams(&a, line)
	}
	return Entry{Where: where, Account: a, Err: err}
}

// Parameters nidan adds to the otpauth URIs of `nidan export --uris`, so
// that an export imports back as the same accounts. Other apps ignore
// parameters they do not know, as the Key URI format asks.
const (
	paramName         = "nidan-name"
	paramMarketplaces = "nidan-marketplaces"
	paramPhoneBackup  = "nidan-phone-backup"
	// paramLabel is written only for an account without a label, to which
	// Account.URI gives the name as its label.
	paramLabel = "nidan-label"
)

// NidanURI is the account's otpauth URI with nidan's name, marketplaces
// and phone-backup flag added.
func NidanURI(a otp.Account) string {
	q := url.Values{}
	q.Set(paramName, a.Name)
	if len(a.Marketplaces) > 0 {
		q.Set(paramMarketplaces, strings.Join(a.Marketplaces, ","))
	}
	if a.PhoneBackup {
		q.Set(paramPhoneBackup, "true")
	}
	if a.Label == "" {
		q.Set(paramLabel, "")
	}
	return a.URI() + "&" + q.Encode()
}

func readNidanParams(a *otp.Account, line string) error {
	u, err := url.Parse(strings.TrimSpace(line))
	if err != nil {
		return nil // ParseURI accepted it; nothing of nidan's to read
	}
	q := u.Query()
	if v := q.Get(paramName); v != "" {
		a.Name = v
	}
	if v := q.Get(paramMarketplaces); v != "" {
		keys, err := market.ParseKeys(v)
		if err != nil {
			return err
		}
		a.Marketplaces = keys
	}
	a.PhoneBackup = q.Get(paramPhoneBackup) == "true"
	if q.Has(paramLabel) {
		a.Label = q.Get(paramLabel)
	}
	return nil
}

func fromMigration(where string, o migration.Parameters) Entry {
	e := Entry{Where: where}
	e.Account.Issuer, e.Account.Label = splitLabel(o.Issuer, o.Name)
	e.Account.Name = defaultName(e.Account)
	switch o.Type {
	case migration.TypeUnspecified, migration.TOTP:
	case migration.HOTP:
		e.Err = otp.ErrHOTP
		return e
	default:
		e.Err = fmt.Errorf("%w: type %d", ErrUnsupported, o.Type)
		return e
	}
	algorithms := map[migration.Algorithm]otp.Algorithm{
		migration.AlgorithmUnspecified: otp.SHA1, migration.SHA1: otp.SHA1,
		migration.SHA256: otp.SHA256, migration.SHA512: otp.SHA512,
	}
	alg, ok := algorithms[o.Algorithm]
	if !ok {
		e.Err = fmt.Errorf("%w: enum value %d (use SHA1, SHA256 or SHA512)", otp.ErrInvalidAlgorithm, o.Algorithm)
		return e
	}
	digits := map[migration.DigitCount]int{migration.DigitsUnspecified: 6, migration.Six: 6, migration.Eight: 8}
	d, ok := digits[o.Digits]
	if !ok {
		e.Err = fmt.Errorf("%w: enum value %d (use 6 or 8)", otp.ErrInvalidDigits, o.Digits)
		return e
	}
	// Google's schema has no period: the app always uses 30 seconds.
	return complete(e, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(o.Secret), alg, d, otp.DefaultPeriod)
}

// splitLabel reads "Issuer:label" as otpauth labels are written; an
// explicit issuer wins over the prefix.
func splitLabel(issuer, label string) (string, string) {
	if prefix, rest, ok := strings.Cut(label, ":"); ok {
		label = strings.TrimSpace(rest)
		if issuer == "" {
			issuer = strings.TrimSpace(prefix)
		}
	}
	return issuer, strings.TrimSpace(label)
}

// defaultName is what an imported account is called before clashes are
// settled: its label (usually the e-mail), else its issuer.
func defaultName(a otp.Account) string {
	if a.Label != "" {
		return a.Label
	}
	return a.Issuer
}

// complete fills in the secret and parameters of an entry whose names are
// set, and validates it.
func complete(e Entry, secret string, alg otp.Algorithm, digits, period int) Entry {
	s, err := otp.ParseSecret(secret)
	if err != nil {
		e.Err = err
		return e
	}
	e.Account.Secret, e.Account.Algorithm, e.Account.Digits, e.Account.Period = s, alg, digits, period
	probe := e.Account
	probe.Name = "probe" // the name is settled by Plan
	if err := probe.Validate(); err != nil {
		e.Err = err
		e.Account = otp.Account{Name: e.Account.Name, Issuer: e.Account.Issuer, Label: e.Account.Label}
	}
	return e
}

// Single reads one account from a QR code's text, or from what a user
// pastes that is a URI: an otpauth URI, or a Google Authenticator export
// that holds exactly one account.
func Single(text string) (otp.Account, error) {
	text = strings.TrimSpace(text)
	switch {
	case hasScheme(text, migration.Scheme):
		p, err := migration.ParseURI(text)
		if err != nil {
			return otp.Account{}, err
		}
		if len(p.OTP) != 1 {
			return otp.Account{}, fmt.Errorf("%w: it holds %d accounts; `nidan import` reads them all", migration.ErrInvalid, len(p.OTP))
		}
		e := fromMigration("", p.OTP[0])
		return e.Account, e.Err
	case hasScheme(text, "otpauth"):
		return otp.ParseURI(text)
	}
	return otp.Account{}, notOTP(text)
}
