package market

import (
	"errors"
	"fmt"
	"strings"
)

// ErrForbiddenOrigin is matched by every error of [OriginHost].
var ErrForbiddenOrigin = errors.New("forbidden origin")

// OriginHost checks that origin is exactly "https://" followed by a host of
// the table, and returns that host.
//
// The check is byte-for-byte on purpose. The extension sends the origin of the
// tab's URL as the browser reports it, and browsers serialise origins in one
// canonical form: lowercase scheme and host, punycode for IDNs, no default
// port, no userinfo, no path. Anything else (a port, a path, a trailing dot,
// uppercase, a lookalike) did not come from the browser's URL parser and is
// refused rather than normalised, so that no parser disagreement can turn a
// lookalike into an Amazon host.
func OriginHost(origin string) (string, error) {
	host, ok := strings.CutPrefix(origin, "https://")
	if !ok {
		return "", fmt.Errorf("%w: %q is not an https origin", ErrForbiddenOrigin, origin)
	}
	if len(KeysOfHost(host)) == 0 {
		return "", fmt.Errorf("%w: %q is not an Amazon sign-in host", ErrForbiddenOrigin, origin)
	}
	return host, nil
}
