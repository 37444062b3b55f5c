package otp

import "testing"

// TestBound: an account's binding follows its marketplaces, or, without
// any, its issuer. A non-Amazon account never reaches an Amazon host unless
// the user bound it.
func TestBound(t *testing.T) {
	tests := []struct {
		name    string
		issuer  string
		markets []string
		bound   bool
		host    string // a host to try
		boundTo bool
		hosts   int // how many hosts; -1: every marketplace's
	}{
		{"amazon, all", "Amazon", nil, true, "www.amazon.co.jp", true, -1},
		{"amazon, jp", "Amazon", []string{"jp"}, true, "www.amazon.com", false, 3},
		{"github, default", "GitHub", nil, false, "www.amazon.com", false, 0},
		{"no issuer, default", "", nil, false, "www.amazon.co.jp", false, 0},
		{"aws, default", "Amazon Web Services", nil, false, "www.amazon.com", false, 0},
		{"github, bound by hand", "GitHub", []string{"jp"}, true, "www.amazon.co.jp", true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account{Name: "x", Issuer: tt.issuer, Marketplaces: tt.markets}
			if got := a.Bound(); got != tt.bound {
				t.Errorf("Bound() = %v, want %v", got, tt.bound)
			}
			if got := a.BoundTo(tt.host); got != tt.boundTo {
				t.Errorf("BoundTo(%s) = %v, want %v", tt.host, got, tt.boundTo)
			}
			if h := a.Hosts(); tt.hosts == -1 && len(h) < 10 || tt.hosts >= 0 && len(h) != tt.hosts {
				t.Errorf("Hosts() = %v", h)
			}
		})
	}
}
