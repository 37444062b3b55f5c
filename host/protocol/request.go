package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// maxID caps the echoed "id": the extension sends small numbers; a large id
// would only make every answer large.
const maxID = 1024

// request is one decoded request. Absent optional strings are "".
type request struct {
	id        json.RawMessage // nil when absent; echoed verbatim
	typ       string
	origin    string
	hasOrigin bool
	account   string
	email     string
	// enroll and phone_backup only (enroll.go)
	secret   string
	name     string
	value    bool
	hasValue bool
}

// decodeRequest decodes and type-checks one request body. Its errors are
// *Error with code bad_request and a message naming what was wrong; even
// then the returned request holds the id when the body had a usable one, so
// that the answer can echo it.
//
// Keys match exactly (encoding/json alone would also match "Type" or
// "ORIGIN"), a known key may appear only once (otherwise which "origin" was
// meant would depend on the parser), and unknown keys are ignored so that a
// newer extension can talk to an older host.
//
// The body is checked by json.Valid first, then walked by members: a
// connectNative session decodes tens of thousands of requests a second,
// and json.Decoder's token API spent more time than everything else a code
// request costs.
func decodeRequest(body []byte) (request, error) {
	var req request
	if !utf8.Valid(body) {
		return req, badRequest("the request is not valid UTF-8")
	}
	if !json.Valid(body) {
		return req, notJSON(body)
	}
	if k := kind(bytes.TrimLeft(body, " \t\r\n")); k != "an object" {
		return req, badRequest(fmt.Sprintf("the request is %s, not a JSON object", k))
	}
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	var seen [len(knownKeys)]bool
	members(body, func(rawKey, raw []byte) {
		key, err := unquote(rawKey)
		if err != nil {
			fail(err)
			return
		}
		i := slices.Index(knownKeys[:], key)
		if i < 0 {
			return
		}
		if seen[i] {
			fail(badRequest(fmt.Sprintf("%q appears more than once", key)))
			return
		}
		seen[i] = true
		switch key {
		case "id":
			if len(raw) > maxID {
				fail(badRequest(fmt.Sprintf("id is %d bytes of JSON; at most %d", len(raw), maxID)))
				return
			}
			req.id = raw
		case "type":
			fail(stringField(key, raw, &req.typ, false))
		case "origin":
			req.hasOrigin = kind(raw) != "null"
			fail(stringField(key, raw, &req.origin, false))
		case "account":
			fail(stringField(key, raw, &req.account, true))
		case "email":
			fail(stringField(key, raw, &req.email, true))
		case "secret":
			fail(stringField(key, raw, &req.secret, false))
		case "name":
			fail(stringField(key, raw, &req.name, true))
		case "value":
			if kind(raw) != "a boolean" {
				fail(badRequest(fmt.Sprintf("%q must be a boolean, not %s", key, kind(raw))))
				return
			}
			req.value, req.hasValue = raw[0] == 't', true
		}
	})
	if first != nil {
		return req, first
	}
	if !seen[1] {
		return req, badRequest(`"type" is missing`)
	}
	return req, nil
}

var knownKeys = [...]string{"id", "type", "origin", "account", "email", "secret", "name", "value"}

// members calls fn with the raw key and raw value of each member of the
// object in body, in order. body must be valid JSON (json.Valid) holding an
// object: the walk relies on it and checks nothing.
func members(body []byte, fn func(key, value []byte)) {
	i := bytes.IndexByte(body, '{') + 1
	for {
		i = skipSpace(body, i)
		if body[i] == '}' {
			return
		}
		keyEnd := valueEnd(body, i)
		key := body[i:keyEnd]
		i = skipSpace(body, keyEnd) + 1 // the colon
		i = skipSpace(body, i)
		end := valueEnd(body, i)
		fn(key, body[i:end])
		if i = skipSpace(body, end); body[i] == ',' {
			i++
		}
	}
}

func skipSpace(b []byte, i int) int {
	for b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' {
		i++
	}
	return i
}

// valueEnd returns the end of the valid JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		for i++; b[i] != '"'; i++ {
			if b[i] == '\\' {
				i++
			}
		}
		return i + 1
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = valueEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	default: // a number, true, false or null
		for i < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[i])) {
			i++
		}
		return i
	}
}

// unquote decodes a valid JSON string; only one with escapes needs
// encoding/json.
func unquote(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", badRequest("a string is not valid JSON")
	}
	return s, nil
}

// stringField decodes a string field; null is accepted for optional ones
// and means absent.
func stringField(key string, raw json.RawMessage, dst *string, optional bool) error {
	switch k := kind(raw); {
	case k == "a string":
		var err error
		*dst, err = unquote(raw)
		return err
	case k == "null" && optional:
		return nil
	default:
		return badRequest(fmt.Sprintf("%q must be a string, not %s", key, k))
	}
}

// kind names the JSON kind of valid JSON text, for messages.
func kind(raw []byte) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// notJSON says where body stops being JSON. encoding/json's syntax errors
// quote at most one character of the input.
func notJSON(body []byte) *Error {
	var v json.RawMessage
	err := json.Unmarshal(body, &v)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return badRequest(fmt.Sprintf("the request is not valid JSON: %v (at byte %d)", syn, syn.Offset))
	}
	return badRequest("the request is not valid JSON")
}
