// Package migration decodes Google Authenticator's export: the
// otpauth-migration://offline?data=… URI its "Transfer accounts" QR codes
// hold, whose data is a base64 protobuf MigrationPayload, several accounts
// per code.
//
// The wire format is decoded by hand with encoding/binary's varints rather
// than with google.golang.org/protobuf: the schema is five small fields, and
// protowire would link internal/detrand, whose init opens and samples the
// executable on every start of bin/nidan (which also serves as the browser's
// host) and which makes protobuf's error texts deliberately unstable.
package migration

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrInvalid is matched by every error about a malformed export. No message
// quotes the payload: it holds secrets.
var ErrInvalid = errors.New("invalid Google Authenticator export")

// Algorithm, DigitCount and Type are the schema's enums; 0 means unspecified
// (the app then uses SHA1, six digits and TOTP).
type (
	Algorithm  int32
	DigitCount int32
	Type       int32
)

const (
	AlgorithmUnspecified Algorithm = iota
	SHA1
	SHA256
	SHA512
	MD5
)

const (
	DigitsUnspecified DigitCount = iota
	Six
	Eight
)

const (
	TypeUnspecified Type = iota
	HOTP
	TOTP
)

// Key is a raw secret. It never prints itself, so that a Parameters value
// passed to a logger or an error by mistake does not leak.
type Key []byte

func (Key) String() string             { return "[redacted]" }
func (Key) GoString() string           { return "[redacted]" }
func (Key) Format(f fmt.State, _ rune) { f.Write([]byte("[redacted]")) }

// Parameters is one account (MigrationPayload.OtpParameters).
type Parameters struct {
	Secret    Key    // field 1
	Name      string // field 2, often "Issuer:label"
	Issuer    string // field 3
	Algorithm Algorithm
	Digits    DigitCount
	Type      Type
	Counter   int64
}

// Payload is one QR code's worth of an export; a large export is split into
// BatchSize codes sharing BatchID.
type Payload struct {
	OTP        []Parameters // field 1
	Version    int32        // field 2
	BatchSize  int32        // field 3
	BatchIndex int32        // field 4
	BatchID    int32        // field 5
}

// Scheme is how the export's URIs begin.
const Scheme = "otpauth-migration"

// ParseURI decodes otpauth-migration://offline?data=….
func ParseURI(raw string) (Payload, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Payload{}, fmt.Errorf("%w: it does not parse as a URL", ErrInvalid)
	}
	if !strings.EqualFold(u.Scheme, Scheme) || !strings.EqualFold(u.Host, "offline") {
		return Payload{}, fmt.Errorf("%w: it does not start with %s://offline", ErrInvalid, Scheme)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: the query does not parse", ErrInvalid)
	}
	data := q.Get("data")
	if data == "" {
		return Payload{}, fmt.Errorf("%w: it has no data parameter", ErrInvalid)
	}
	// An unescaped '+' in a query reads as a space; the app percent-encodes
	// it, but a hand-copied URI may not.
	data = strings.ReplaceAll(data, " ", "+")
	b, err := decodeBase64(data)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: the data is not base64", ErrInvalid)
	}
	return Decode(b)
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// wire types of the protobuf encoding
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// field is one decoded field: its number, and either a varint or bytes.
type field struct {
	num   uint64
	wire  uint64
	value uint64
	bytes []byte
}

// fields splits a message into its fields, skipping none: unknown ones are
// returned too and ignored by the caller, as protobuf requires.
func fields(b []byte) ([]field, error) {
	var out []field
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("%w: a field tag is truncated or too long", ErrInvalid)
		}
		b = b[n:]
		f := field{num: tag >> 3, wire: tag & 7}
		if f.num == 0 || f.num > 1<<29-1 {
			return nil, fmt.Errorf("%w: field number %d is out of range", ErrInvalid, f.num)
		}
		switch f.wire {
		case wireVarint:
			if f.value, n = binary.Uvarint(b); n <= 0 {
				return nil, fmt.Errorf("%w: field %d's number is truncated or too long", ErrInvalid, f.num)
			}
			b = b[n:]
		case wireFixed64, wireFixed32:
			size := 8
			if f.wire == wireFixed32 {
				size = 4
			}
			if len(b) < size {
				return nil, fmt.Errorf("%w: field %d is truncated", ErrInvalid, f.num)
			}
			b = b[size:]
		case wireBytes:
			size, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("%w: field %d's length is truncated or too long", ErrInvalid, f.num)
			}
			b = b[n:]
			if size > uint64(len(b)) {
				return nil, fmt.Errorf("%w: field %d is truncated", ErrInvalid, f.num)
			}
			f.bytes, b = b[:size], b[size:]
		default:
			return nil, fmt.Errorf("%w: field %d has unsupported wire type %d", ErrInvalid, f.num, f.wire)
		}
		out = append(out, f)
	}
	return out, nil
}

// expect checks a known field's wire type: a mismatch means the data is not
// this schema.
func expect(f field, wire uint64) error {
	if f.wire != wire {
		return fmt.Errorf("%w: field %d has wire type %d, expected %d", ErrInvalid, f.num, f.wire, wire)
	}
	return nil
}

// Decode decodes a MigrationPayload.
func Decode(b []byte) (Payload, error) {
	fs, err := fields(b)
	if err != nil {
		return Payload{}, err
	}
	var p Payload
	for _, f := range fs {
		want := uint64(wireVarint)
		if f.num == 1 {
			want = wireBytes
		}
		if f.num > 5 {
			continue
		}
		if err := expect(f, want); err != nil {
			return Payload{}, err
		}
		switch f.num {
		case 1:
			o, err := decodeParameters(f.bytes)
			if err != nil {
				return Payload{}, fmt.Errorf("account %d: %w", len(p.OTP)+1, err)
			}
			p.OTP = append(p.OTP, o)
		case 2:
			p.Version = int32(f.value)
		case 3:
			p.BatchSize = int32(f.value)
		case 4:
			p.BatchIndex = int32(f.value)
		case 5:
			p.BatchID = int32(f.value)
		}
	}
	if len(p.OTP) == 0 {
		return Payload{}, fmt.Errorf("%w: it holds no account", ErrInvalid)
	}
	return p, nil
}

func decodeParameters(b []byte) (Parameters, error) {
	fs, err := fields(b)
	if err != nil {
		return Parameters{}, err
	}
	var o Parameters
	for _, f := range fs {
		if f.num > 7 {
			continue
		}
		want := uint64(wireVarint)
		if f.num <= 3 {
			want = wireBytes
		}
		if err := expect(f, want); err != nil {
			return Parameters{}, err
		}
		switch f.num {
		case 1:
			o.Secret = Key(append([]byte(nil), f.bytes...))
		case 2:
			o.Name = string(f.bytes)
		case 3:
			o.Issuer = string(f.bytes)
		case 4:
			o.Algorithm = Algorithm(int32(f.value))
		case 5:
			o.Digits = DigitCount(int32(f.value))
		case 6:
			o.Type = Type(int32(f.value))
		case 7:
			o.Counter = int64(f.value)
		}
	}
	return o, nil
}
