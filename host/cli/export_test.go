package cli

import "testing"

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"shop-jp":         "shop-jp",
		"a@example.co.jp": "a@example.co.jp",
		"seller de":       "'seller de'",
		"it's":            `'it'\''s'`,
		"$(rm -rf ~)":     "'$(rm -rf ~)'",
		"":                "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
