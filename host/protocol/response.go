package protocol

import (
	"bytes"
	"encoding/json"
	"strconv"

	"nidan.dev/nidan/host/frame"
	"nidan.dev/nidan/otp"
)

// Protocol is the version of the protocol this host speaks.
const Protocol = 1

// result is what a request produced, before encoding: fields spliced into
// the response object, and optionally one array that may be cut to keep the
// frame under Chrome's 1 MiB (the accounts of list and codes, the candidates
// of ambiguous). It goes last so that its budget is known.
type result struct {
	fields any // a struct marshalled as the response's own fields; nil for none
	list   string
	items  [][]byte // the array's elements, each already JSON
}

// accountJSON is an account as the extension sees it: never the secret.
type accountJSON struct {
	Name         string   `json:"name"`
	Issuer       string   `json:"issuer"`
	Label        string   `json:"label"`
	Marketplaces []string `json:"marketplaces"`
	Hosts        []string `json:"hosts"`
	PhoneBackup  bool     `json:"phone_backup"`
}

func newAccountJSON(a otp.Account, hosts []string) accountJSON {
	keys := a.Marketplaces
	if keys == nil {
		keys = []string{}
	}
	return accountJSON{Name: a.Name, Issuer: a.Issuer, Label: a.Label, Marketplaces: keys, Hosts: hosts, PhoneBackup: a.PhoneBackup}
}

// truncation is the longest tail a cut list adds.
var truncation = len(`,"truncated":true,"omitted":`) + len(strconv.Itoa(1<<31)) + len(`}`)

// encode lays out one response object. It never exceeds frame.MaxResponse
// unless the fixed part alone does, which the request cap and the id cap
// rule out.
func encode(buf []byte, id json.RawMessage, version string, res result, e *Error) []byte {
	buf = append(buf, '{')
	if id != nil {
		buf = append(buf, `"id":`...)
		buf = append(buf, id...)
		buf = append(buf, ',')
	}
	if e == nil {
		buf = append(buf, `"ok":true`...)
	} else {
		buf = append(buf, `"ok":false`...)
	}
	buf = append(buf, `,"protocol":`...)
	buf = strconv.AppendInt(buf, Protocol, 10)
	buf = append(buf, `,"version":`...)
	buf = appendJSON(buf, version)
	if e != nil {
		buf = append(buf, `,"error":{"code":`...)
		buf = appendJSON(buf, e.Code)
		buf = append(buf, `,"message":`...)
		buf = appendJSON(buf, e.Message)
		buf = append(buf, '}')
	}
	if res.fields != nil {
		if inner := bytes.TrimSuffix(bytes.TrimPrefix(marshal(res.fields), []byte("{")), []byte("}")); len(inner) > 0 {
			buf = append(buf, ',')
			buf = append(buf, inner...)
		}
	}
	if res.list != "" {
		buf = append(buf, ',')
		buf = appendJSON(buf, res.list)
		buf = append(buf, ':')
		budget := frame.MaxResponse - len(buf) - truncation
		var omitted int
		buf, omitted = appendFitted(buf, res.items, budget)
		if omitted > 0 {
			buf = append(buf, `,"truncated":true,"omitted":`...)
			buf = strconv.AppendInt(buf, int64(omitted), 10)
		}
	}
	return append(buf, '}')
}

// appendFitted appends the JSON array of as many items, from the first, as
// fit in budget bytes, and returns how many were left out.
func appendFitted(buf []byte, items [][]byte, budget int) ([]byte, int) {
	buf = append(buf, '[')
	used := 2
	for i, it := range items {
		if used+len(it)+1 > budget {
			return append(buf, ']'), len(items) - i
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, it...)
		used += len(it) + 1
	}
	return append(buf, ']'), 0
}

func appendJSON(buf []byte, v any) []byte { return append(buf, marshal(v)...) }

// marshal encodes values whose types this package defines: strings, ints
// and structs of them. encoding/json cannot fail on those.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("protocol: marshalling " + err.Error())
	}
	return b
}
