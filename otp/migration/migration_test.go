package migration_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/migration/migrationtest"
)

var sample = migration.Payload{
	OTP: []migration.Parameters{
		{Secret: migration.Key(bytes.Repeat([]byte{0xa5}, 32)), Name: "Amazon:shop@example.jp", Issuer: "Amazon", Algorithm: migration.SHA1, Digits: migration.Six, Type: migration.TOTP},
		{Secret: migration.Key(bytes.Repeat([]byte{0x17}, 20)), Name: "seller@example.de", Issuer: "Amazon", Algorithm: migration.SHA256, Digits: migration.Eight, Type: migration.TOTP},
		{Secret: migration.Key(bytes.Repeat([]byte{0x42}, 16)), Name: "counter", Algorithm: migration.SHA1, Digits: migration.Six, Type: migration.HOTP, Counter: 7},
	},
	Version: 1, BatchSize: 2, BatchIndex: 1, BatchID: -1_234_567,
}

func TestDecodeRoundTrip(t *testing.T) {
	got, err := migration.Decode(migrationtest.Encode(sample))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, sample) {
		t.Errorf("got %+v\nwant %+v", got, sample)
	}
}

func TestParseURI(t *testing.T) {
	data := migrationtest.Encode(sample)
	std := base64.StdEncoding.EncodeToString(data)
	for name, raw := range map[string]string{
		"escaped":        migrationtest.URI(data),
		"plus unescaped": "otpauth-migration://offline?data=" + std,
		"url alphabet":   "otpauth-migration://offline?data=" + base64.RawURLEncoding.EncodeToString(data),
		"upper scheme":   "OTPAUTH-MIGRATION://offline?data=" + url.QueryEscape(std),
		"spaces around":  "  " + migrationtest.URI(data) + "\n",
		"unpadded":       "otpauth-migration://offline?data=" + url.QueryEscape(strings.TrimRight(std, "=")),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := migration.ParseURI(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, sample) {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestDecodeSkipsUnknownFields(t *testing.T) {
	var inner []byte
	inner = migrationtest.AppendBytes(inner, 9, []byte("future"))
	inner = append(migrationtest.AppendTag(inner, 10, 5), 1, 2, 3, 4)
	inner = append(migrationtest.AppendTag(inner, 11, 1), 1, 2, 3, 4, 5, 6, 7, 8)
	inner = append(inner, migrationtest.EncodeParameters(sample.OTP[0])...)
	var b []byte
	b = migrationtest.AppendVarint(b, 6, 99)
	b = migrationtest.AppendBytes(b, 1, inner)
	got, err := migration.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.OTP) != 1 || got.OTP[0].Name != sample.OTP[0].Name {
		t.Errorf("got %+v", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := migrationtest.Encode(sample)
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "holds no account", nil},
		{"only a version", "holds no account", migrationtest.AppendVarint(nil, 2, 1)},
		{"truncated", "truncated", good[:len(good)/2]},
		{"truncated tag", "tag is truncated", []byte{0x80}},
		{"field zero", "field number 0", []byte{0x00, 0x01}},
		{"group", "unsupported wire type 3", []byte{0x0b}},
		{"wrong wire type", "field 1 has wire type 0", migrationtest.AppendVarint(nil, 1, 5)},
		{"inner wrong wire type", "account 1: invalid Google Authenticator export: field 4 has wire type 2", migrationtest.AppendBytes(nil, 1, migrationtest.AppendBytes(nil, 4, []byte("x")))},
		{"huge length", "field 1 is truncated", append(migrationtest.AppendTag(nil, 1, 2), 0xff, 0xff, 0xff, 0xff, 0x0f)},
		{"varint too long", "truncated or too long", append(migrationtest.AppendTag(nil, 2, 0), bytes.Repeat([]byte{0xff}, 11)...)},
		{"fixed32 short", "field 9 is truncated", append(migrationtest.AppendTag(nil, 9, 5), 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := migration.Decode(tc.data)
			if !errors.Is(err, migration.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want migration.ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

func TestParseURIErrors(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"otpauth://totp/x?secret=AAAA", "does not start with otpauth-migration://offline"},
		{"otpauth-migration://online?data=AAAA", "does not start with"},
		{"otpauth-migration://offline?foo=1", "no data parameter"},
		{"otpauth-migration://offline?data=!!!!", "not base64"},
		{"otpauth-migration://offline?data=%zz", "query does not parse"},
		{"otpauth-migration://offline?data=AAAA", "invalid Google Authenticator export"},
		{"otpauth-migration://offline\x7f", "does not parse as a URL"},
	} {
		_, err := migration.ParseURI(tc.raw)
		if !errors.Is(err, migration.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.raw, err, tc.want)
		}
	}
}

func TestKeyRedacts(t *testing.T) {
	p := sample.OTP[0]
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s %x", p, p, p, p.Secret, p.Secret)} {
		if strings.Contains(s, "a5a5") || strings.Contains(s, "165") {
			t.Errorf("the secret leaks: %s", s)
		}
	}
}

// FuzzDecode checks that no input panics or hangs the decoder, and that
// whatever it accepts re-encodes to something it decodes the same way.
func FuzzDecode(f *testing.F) {
	f.Add(migrationtest.Encode(sample))
	f.Add(migrationtest.Encode(migration.Payload{OTP: sample.OTP[:1]}))
	f.Add([]byte{0x0a, 0x00})
	f.Add([]byte{0x0b})
	f.Add(append(migrationtest.AppendTag(nil, 1, 2), 0xff, 0xff, 0xff, 0xff, 0x0f))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := migration.Decode(b)
		if err != nil {
			if !errors.Is(err, migration.ErrInvalid) {
				t.Fatalf("error not migration.ErrInvalid: %v", err)
			}
			return
		}
		again, err := migration.Decode(migrationtest.Encode(p))
		if err != nil {
			t.Fatalf("re-encoded payload does not decode: %v", err)
		}
		if len(again.OTP) != len(p.OTP) {
			t.Fatalf("%d accounts became %d", len(p.OTP), len(again.OTP))
		}
	})
}
