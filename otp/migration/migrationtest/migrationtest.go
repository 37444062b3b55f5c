// Package migrationtest builds Google Authenticator export payloads for
// tests. Its encoder is written from the published schema, independently of
// the decoder in package migration, so that a misreading shared by both
// cannot make them agree.
package migrationtest

import (
	"encoding/base64"
	"encoding/binary"
	"net/url"

	"nidan.dev/nidan/otp/migration"
)

// AppendTag appends a field's key: its number and wire type.
func AppendTag(b []byte, num, wire uint64) []byte { return binary.AppendUvarint(b, num<<3|wire) }

// AppendBytes appends a length-delimited field.
func AppendBytes(b []byte, num uint64, v []byte) []byte {
	b = AppendTag(b, num, 2)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// AppendVarint appends a varint field.
func AppendVarint(b []byte, num uint64, v uint64) []byte {
	return binary.AppendUvarint(AppendTag(b, num, 0), v)
}

// EncodeParameters encodes one OtpParameters message.
func EncodeParameters(o migration.Parameters) []byte {
	var b []byte
	b = AppendBytes(b, 1, o.Secret)
	b = AppendBytes(b, 2, []byte(o.Name))
	b = AppendBytes(b, 3, []byte(o.Issuer))
	b = AppendVarint(b, 4, uint64(o.Algorithm))
	b = AppendVarint(b, 5, uint64(o.Digits))
	b = AppendVarint(b, 6, uint64(o.Type))
	b = AppendVarint(b, 7, uint64(o.Counter))
	return b
}

// Encode encodes a MigrationPayload.
func Encode(p migration.Payload) []byte {
	var b []byte
	for _, o := range p.OTP {
		b = AppendBytes(b, 1, EncodeParameters(o))
	}
	b = AppendVarint(b, 2, uint64(p.Version))
	b = AppendVarint(b, 3, uint64(p.BatchSize))
	b = AppendVarint(b, 4, uint64(p.BatchIndex))
	b = AppendVarint(b, 5, uint64(uint32(p.BatchID)))
	return b
}

// URI wraps a payload as the app's QR codes do.
func URI(payload []byte) string {
	return "otpauth-migration://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(payload))
}
