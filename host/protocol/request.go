package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.Token() // '{', checked above
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return req, notJSON(body)
		}
		key := tok.(string) // object keys are strings in valid JSON
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return req, notJSON(body)
		}
		switch key {
		case "id", "type", "origin", "account", "email":
		default:
			continue
		}
		if seen[key] {
			fail(badRequest(fmt.Sprintf("%q appears more than once", key)))
			continue
		}
		seen[key] = true
		switch key {
		case "id":
			if len(raw) > maxID {
				fail(badRequest(fmt.Sprintf("id is %d bytes of JSON; at most %d", len(raw), maxID)))
				continue
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
		}
	}
	if first != nil {
		return req, first
	}
	if !seen["type"] {
		return req, badRequest(`"type" is missing`)
	}
	return req, nil
}

// stringField decodes a string field; null is accepted for optional ones
// and means absent.
func stringField(key string, raw json.RawMessage, dst *string, optional bool) error {
	switch k := kind(raw); {
	case k == "a string":
		if err := json.Unmarshal(raw, dst); err != nil {
			return badRequest(fmt.Sprintf("%q is not a valid JSON string", key))
		}
		return nil
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
