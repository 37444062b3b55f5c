package protocol

import (
	"encoding/json"
	"strconv"

	"nidan.dev/nidan/host/frame"
)

// Protocol is the version of the protocol this host speaks.
const Protocol = 1

// result is what a request produced, before encoding: fields spliced into
// the response object, and optionally one array that may be cut to keep the
// frame under Chrome's 1 MiB (the accounts of list and codes, the candidates
// of ambiguous). It goes last so that its budget is known.
type result struct {
	fields []byte // the answer's own members, `"k":v,…`, or nil
	list   string
	items  [][]byte // the array's elements, each already JSON
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
	buf = appendString(appendKey(buf, "version"), version)
	if e != nil {
		buf = append(appendKey(buf, "error"), '{')
		buf = appendString(appendKey(buf, "code"), e.Code)
		buf = appendString(appendKey(buf, "message"), e.Message)
		buf = append(buf, '}')
	}
	if len(res.fields) > 0 {
		buf = append(buf, ',')
		buf = append(buf, res.fields...)
	}
	if res.list != "" {
		buf = appendKey(buf, res.list)
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
