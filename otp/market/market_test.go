package market

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	want := []string{"jp", "us", "ca", "mx", "br", "uk", "de", "fr", "it", "es", "ie", "nl", "se", "pl", "be", "tr", "ae", "sa", "eg", "in", "au", "sg", "za"}
	if got := Keys(); !slices.Equal(got, want) {
		t.Fatalf("keys = %v, want %v", got, want)
	}
	jp, _ := ByKey("jp")
	if !slices.Equal(jp.Hosts, []string{"www.amazon.co.jp", "sellercentral.amazon.co.jp", "sellercentral-japan.amazon.com"}) {
		t.Errorf("jp hosts = %v", jp.Hosts)
	}
	if jp.SettingsURL() != "https://www.amazon.co.jp/a/settings/approval" {
		t.Errorf("jp settings = %s", jp.SettingsURL())
	}
	for _, k := range []string{"uk", "de", "fr", "it", "es"} {
		m, _ := ByKey(k)
		if !slices.Contains(m.Hosts, "sellercentral-europe.amazon.com") {
			t.Errorf("%s lacks sellercentral-europe", k)
		}
	}
	if got := KeysOfHost("sellercentral-europe.amazon.com"); !slices.Equal(got, []string{"uk", "de", "fr", "it", "es"}) {
		t.Errorf("sellercentral-europe serves %v", got)
	}
}

func TestParseKeys(t *testing.T) {
	got, err := ParseKeys(" US,jp , jp,DE")
	if err != nil || !slices.Equal(got, []string{"jp", "us", "de"}) {
		t.Errorf("ParseKeys = %v, %v", got, err)
	}
	var unknown *UnknownKeyError
	if _, err := ParseKeys("jp,xx"); !errors.As(err, &unknown) || unknown.Key != "xx" {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := ParseKeys(" , "); err == nil {
		t.Error("an empty list was accepted")
	}
}

func TestBound(t *testing.T) {
	tests := []struct {
		keys []string
		host string
		want bool
	}{
		{nil, "www.amazon.co.jp", true},
		{nil, "sellercentral-europe.amazon.com", true},
		{nil, "www.amazon.co.jp.evil.example", false},
		{[]string{"jp"}, "sellercentral-japan.amazon.com", true},
		{[]string{"jp"}, "www.amazon.com", false},
		{[]string{"de"}, "sellercentral-europe.amazon.com", true},
		{[]string{"us"}, "sellercentral-europe.amazon.com", false},
	}
	for _, tt := range tests {
		if got := Bound(tt.keys, tt.host); got != tt.want {
			t.Errorf("Bound(%v, %s) = %v", tt.keys, tt.host, got)
		}
	}
	if hosts := Hosts(nil); len(hosts) != 2*len(Keys())+2 {
		t.Errorf("all hosts: %d, want %d distinct", len(hosts), 2*len(Keys())+2)
	}
}

func TestOriginHost(t *testing.T) {
	for _, origin := range []string{"https://www.amazon.co.jp", "https://sellercentral.amazon.de", "https://sellercentral-japan.amazon.com"} {
		if _, err := OriginHost(origin); err != nil {
			t.Errorf("OriginHost(%q): %v", origin, err)
		}
	}
	refused := []string{
		"http://www.amazon.co.jp",
		"https://www.amazon.co.jp.evil.example",
		"https://evil.example/?www.amazon.co.jp",
		"https://www.amazon.co.jp:8443",
		"https://www.amazon.co.jp:443",
		"https://user@www.amazon.co.jp",
		"https://www.amaz0n.co.jp",
		"https://www.xn--amazn-mua.co.jp", // amazön
		"https://www.аmazon.co.jp",        // Cyrillic а
		"https://WWW.AMAZON.CO.JP",        // browsers never report uppercase: refused, see OriginHost
		"https://www.amazon.co.jp/",
		"https://www.amazon.co.jp/ap/mfa",
		"https://www.amazon.co.jp.",
		"https://amazon.co.jp",
		"wss://www.amazon.co.jp",
		"https://",
		"",
		"null",
	}
	for _, origin := range refused {
		if host, err := OriginHost(origin); !errors.Is(err, ErrForbiddenOrigin) {
			t.Errorf("OriginHost(%q) = %q, %v; want forbidden", origin, host, err)
		}
	}
}

// TestExtensionCopy fails when the extension's copy of the table, or the
// hosts its manifest asks for, drift from this package's table.
func TestExtensionCopy(t *testing.T) {
	ext := filepath.Join("..", "..", "extension")
	copyJSON, err := os.ReadFile(filepath.Join(ext, "marketplaces.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(copyJSON, tableJSON) {
		t.Fatal("extension/marketplaces.json differs from otp/market/marketplaces.json: copy it over")
	}
	raw, err := os.ReadFile(filepath.Join(ext, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		HostPermissions []string `json:"host_permissions"`
		ContentScripts  []struct {
			Matches []string `json:"matches"`
		} `json:"content_scripts"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, h := range Hosts(nil) {
		want = append(want, "https://"+h+"/*")
	}
	slices.Sort(want)
	check := func(what string, got []string) {
		got = slices.Clone(got)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("manifest %s = %v\nwant exactly the table's hosts %v", what, got, want)
		}
	}
	check("host_permissions", manifest.HostPermissions)
	// Content scripts run on some paths only (sign-in, settings), but on
	// every host of the table and on no other: each pattern's host part must
	// be a table host, and each table host must have a pattern.
	for i, cs := range manifest.ContentScripts {
		var hosts []string
		for _, m := range cs.Matches {
			host, _, _ := strings.Cut(strings.TrimPrefix(m, "https://"), "/")
			if !strings.HasPrefix(m, "https://") || len(KeysOfHost(host)) == 0 {
				t.Errorf("manifest content_scripts[%d] matches %q, not an https page of a table host", i, m)
			}
			hosts = append(hosts, "https://"+host+"/*")
		}
		slices.Sort(hosts)
		check(fmt.Sprintf("content_scripts[%d] hosts", i), slices.Compact(hosts))
	}
}

// TestGeneratedTable fails when table.go no longer says what
// marketplaces.json says: run `go generate ./otp/market`.
func TestGeneratedTable(t *testing.T) {
	var parsed struct {
		Version      int           `json:"version"`
		Marketplaces []Marketplace `json:"marketplaces"`
	}
	if err := json.Unmarshal(tableJSON, &parsed); err != nil {
		t.Fatal(err)
	}
	if parsed.Version != 1 {
		t.Errorf("table version %d", parsed.Version)
	}
	if !reflect.DeepEqual(parsed.Marketplaces, marketplaces) {
		t.Error("table.go differs from marketplaces.json: run `go generate ./otp/market`")
	}
}

func TestAmazonIssuer(t *testing.T) {
	tests := []struct {
		issuer string
		want   bool
	}{
		{"Amazon", true},
		{" amazon ", true},
		{"AMAZON", true},
		{"amazon.co.jp", true},
		{"www.amazon.de", true},
		{"sellercentral.amazon.com", true},
		{"", false},
		{"GitHub", false},
		{"Amazon Web Services", false},
		{"AWS", false},
		{"amazon.co.jp.evil.example", false},
		{"Amazon:shop@example.jp", false},
	}
	for _, tt := range tests {
		if got := AmazonIssuer(tt.issuer); got != tt.want {
			t.Errorf("AmazonIssuer(%q) = %v, want %v", tt.issuer, got, tt.want)
		}
	}
}
