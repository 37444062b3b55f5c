package cli

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"shop-jp", "shop-us", "seller-de", "list", "init"}
	for _, tc := range []struct{ typed, want string }{
		{"shop_jp", "shop-jp"},    // separator only
		{"SHOP-JP", "shop-jp"},    // case only
		{"shop-pj", "shop-jp"},    // two letters swapped
		{"shopjp", "shop-jp"},     // one left out
		{"seler-de", "seller-de"}, // one left out
		{"lsit", "list"},          // a swap beats init's two edits
		{"shop", ""},              // three edits from anything
		{"xy", ""},                // too short to guess
		{"banana", ""},
	} {
		if got := closest(tc.typed, names); got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}
