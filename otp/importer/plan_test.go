package importer

import (
	"slices"
	"testing"

	"nidan.dev/nidan/otp"
)

// TestBind: import's --marketplace binds Amazon's accounts only; another
// service's account stays a backup bound to no host, or keeps the binding
// an export of nidan's carried.
func TestBind(t *testing.T) {
	entry := func(issuer string, markets ...string) Entry {
		return Entry{Account: otp.Account{Name: issuer, Issuer: issuer, Marketplaces: markets}}
	}
	plan := []Planned{
		{Entry: entry("Amazon"), Name: "Amazon"},
		{Entry: entry("amazon.co.jp"), Name: "amazon.co.jp"},
		{Entry: entry("GitHub"), Name: "GitHub"},
		{Entry: entry("Google", "us"), Name: "Google"},
	}
	Bind(plan, []string{"de"})
	tests := []struct {
		markets []string
		backup  bool
	}{
		{[]string{"de"}, false},
		{[]string{"de"}, false},
		{nil, true},
		{[]string{"us"}, false},
	}
	for i, tt := range tests {
		p := plan[i]
		if !slices.Equal(p.Account.Marketplaces, tt.markets) || p.Backup() != tt.backup {
			t.Errorf("%s: marketplaces %v, backup %v; want %v, %v", p.Name, p.Account.Marketplaces, p.Backup(), tt.markets, tt.backup)
		}
	}
	Bind(plan, nil)
	if !slices.Equal(plan[0].Account.Marketplaces, []string{"de"}) {
		t.Error("Bind without keys changed the plan")
	}
}
