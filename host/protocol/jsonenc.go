package protocol

import (
	"strconv"
	"unicode/utf8"

	"nidan.dev/nidan/otp"
)

// Answers are written with these appenders rather than encoding/json: the
// first json.Marshal of a struct type builds its encoder by reflection,
// ~0.1 ms of a cold start that has ~2 ms in all, and a sendNativeMessage
// host only ever makes one answer.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json does.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

func appendStrings(buf []byte, ss []string) []byte {
	buf = append(buf, '[')
	for i, s := range ss {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, s)
	}
	return append(buf, ']')
}

// appendKey appends `,"key":` (or without the comma at the start of an
// object).
func appendKey(buf []byte, key string) []byte {
	if n := len(buf); n > 0 && buf[n-1] != '{' {
		buf = append(buf, ',')
	}
	buf = append(buf, '"')
	buf = append(buf, key...)
	return append(buf, '"', ':')
}

// appendAccount appends an account as the extension sees it, never its
// secret, without the closing brace so that codes can add to it. "bound" is
// false for an account bound to no host (otp.Account.Bound): a backup the
// host never gives a code for, which the popup shows apart.
func appendAccount(buf []byte, a otp.Account, hosts []string) []byte {
	buf = append(buf, '{')
	buf = appendString(appendKey(buf, "name"), a.Name)
	buf = appendString(appendKey(buf, "issuer"), a.Issuer)
	buf = appendString(appendKey(buf, "label"), a.Label)
	buf = appendStrings(appendKey(buf, "marketplaces"), a.Marketplaces)
	buf = appendStrings(appendKey(buf, "hosts"), hosts)
	buf = strconv.AppendBool(appendKey(buf, "bound"), a.Bound())
	return strconv.AppendBool(appendKey(buf, "phone_backup"), a.PhoneBackup)
}

// appendCode appends the code fields of an account.
func appendCode(buf []byte, c codeFields) []byte {
	buf = appendString(appendKey(buf, "code"), c.code)
	buf = strconv.AppendInt(appendKey(buf, "period"), int64(c.period), 10)
	return strconv.AppendInt(appendKey(buf, "remaining"), int64(c.remaining), 10)
}
