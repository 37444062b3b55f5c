// Package market holds the table of Amazon marketplaces and their sign-in
// hosts. The table is data (marketplaces.json) so that the extension reads the
// very same list; a test fails when the extension's copy drifts.
//
// The Go side reads table.go, generated from marketplaces.json, rather than
// parsing the JSON: the native-messaging host starts once per code request,
// and encoding/json's first use costs ~0.1 ms there.
package market

//go:generate go run gen.go

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed marketplaces.json
var tableJSON []byte

// Marketplace is one Amazon marketplace: a short key (jp, us, de, …) and the
// https hosts where its sign-in and two-step verification pages are served.
// Hosts[0] is the retail host, where Advanced Security Settings live.
type Marketplace struct {
	Key    string   `json:"key"`
	Name   string   `json:"name"`
	NameJa string   `json:"name_ja"`
	Hosts  []string `json:"hosts"`
}

// SettingsURL is the marketplace's Advanced Security Settings page, the only
// place where Amazon's trusted-device entries can be reset.
func (m Marketplace) SettingsURL() string {
	return "https://" + m.Hosts[0] + "/a/settings/approval"
}

// JSON returns the embedded table exactly as shipped.
func JSON() []byte { return slices.Clone(tableJSON) }

// All returns every marketplace in table order.
func All() []Marketplace { return slices.Clone(marketplaces) }

// Keys returns every marketplace key in table order.
func Keys() []string {
	var keys []string
	for _, m := range marketplaces {
		keys = append(keys, m.Key)
	}
	return keys
}

// ByKey returns the marketplace with the given key.
func ByKey(key string) (Marketplace, bool) {
	for _, m := range marketplaces {
		if m.Key == key {
			return m, true
		}
	}
	return Marketplace{}, false
}

// UnknownKeyError reports a marketplace key that is not in the table.
type UnknownKeyError struct{ Key string }

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("unknown marketplace %q (known: %s)", e.Key, strings.Join(Keys(), ", "))
}

// ParseKeys parses a comma-separated list such as "jp, US,de" into known keys,
// lowercased, deduplicated and in table order. An empty list is an error: an
// account bound to no marketplace could never be used.
func ParseKeys(list string) ([]string, error) {
	want := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if _, ok := ByKey(k); !ok {
			return nil, &UnknownKeyError{Key: k}
		}
		want[k] = true
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("no marketplace given (known: %s)", strings.Join(Keys(), ", "))
	}
	var keys []string
	for _, m := range marketplaces {
		if want[m.Key] {
			keys = append(keys, m.Key)
		}
	}
	return keys, nil
}

// Hosts returns the sign-in hosts of the given marketplaces, deduplicated, in
// table order. No keys means every marketplace: an account added without
// --marketplace is bound to every Amazon host.
func Hosts(keys []string) []string {
	var hosts []string
	for _, m := range marketplaces {
		if len(keys) > 0 && !slices.Contains(keys, m.Key) {
			continue
		}
		for _, h := range m.Hosts {
			if !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
	}
	return hosts
}

// KeysOfHost returns the marketplaces served by host, in table order; none
// when the host is not an Amazon sign-in host. sellercentral-europe serves
// several marketplaces.
func KeysOfHost(host string) []string {
	var keys []string
	for _, m := range marketplaces {
		if slices.Contains(m.Hosts, host) {
			keys = append(keys, m.Key)
		}
	}
	return keys
}

// Bound reports whether an account bound to keys (none: every marketplace)
// may receive codes for host.
func Bound(keys []string, host string) bool {
	for _, k := range KeysOfHost(host) {
		if len(keys) == 0 || slices.Contains(keys, k) {
			return true
		}
	}
	return false
}
