package importer

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/migration/migrationtest"
	"nidan.dev/nidan/otp/qr"
)

const (
	shopSecret   = "MFZWK3TFOJSXE33EMFZWK3TFOJSXE33E"
	sellerSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
)

// want is an entry as a test expects it: an account, or an error.
type want struct {
	name, issuer, label, secret string
	alg                         otp.Algorithm
	digits, period              int
	err                         error
}

var (
	shop   = want{"shop@example.jp", "Amazon", "shop@example.jp", shopSecret, otp.SHA1, 6, 30, nil}
	seller = want{"seller@example.de", "Amazon", "seller@example.de", sellerSecret, otp.SHA256, 8, 60, nil}
	hotp   = want{name: "counter", err: otp.ErrHOTP}
)

func check(t *testing.T, got []Entry, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if w.err != nil {
			if !errors.Is(g.Err, w.err) {
				t.Errorf("entry %d: got error %v, want %v", i+1, g.Err, w.err)
			}
			if w.name != "" && g.Account.Name != w.name {
				t.Errorf("entry %d: name %q, want %q", i+1, g.Account.Name, w.name)
			}
			continue
		}
		if g.Err != nil {
			t.Errorf("entry %d: %v", i+1, g.Err)
			continue
		}
		a := g.Account
		if a.Name != w.name || a.Issuer != w.issuer || a.Label != w.label || a.Secret.Base32() != w.secret ||
			a.Algorithm != w.alg || a.Digits != w.digits || a.Period != w.period {
			t.Errorf("entry %d: got %q %q %q %s %d %d, want %+v", i+1, a.Name, a.Issuer, a.Label, a.Algorithm, a.Digits, a.Period, w)
		}
	}
}

func readFile(t testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseFiles(t *testing.T) {
	for _, tc := range []struct {
		file, format string
		wants        []want
	}{
		{"uris.txt", FormatURIs, []want{shop, seller, {err: otp.ErrHOTP}, {err: otp.ErrInvalidSecret}}},
		{"aegis.json", FormatAegis, []want{shop, seller, hotp, {name: "gamer", err: ErrUnsupported}}},
		{"2fas.2fas", Format2FAS, []want{shop, seller, hotp, {name: "short", err: otp.ErrInvalidSecret}}},
		{"authenticator.json", FormatAuthenticator, []want{shop, seller, hotp}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res, err := Parse(readFile(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tc.format {
				t.Errorf("format %q, want %q", res.Format, tc.format)
			}
			check(t, res.Entries, tc.wants)
		})
	}
}

func key(b byte, n int) migration.Key { return migration.Key(bytes.Repeat([]byte{b}, n)) }

// googlePayloads is an export of four accounts in two QR codes, as the app
// splits a large one.
func googlePayloads() [2]string {
	first := migration.Payload{OTP: []migration.Parameters{
		{Secret: key(0x61, 20), Name: "Amazon:shop@example.jp", Issuer: "Amazon", Type: migration.TOTP},
		{Secret: key(0x31, 20), Name: "seller@example.de", Issuer: "Amazon", Algorithm: migration.SHA256, Digits: migration.Eight, Type: migration.TOTP},
	}, Version: 1, BatchSize: 2, BatchIndex: 0, BatchID: 77}
	second := migration.Payload{OTP: []migration.Parameters{
		{Secret: key(0x73, 20), Name: "Bank:counter", Type: migration.HOTP, Counter: 3},
		{Secret: key(0x11, 32), Name: "Example:md5@example.com", Algorithm: migration.MD5, Type: migration.TOTP},
		{Secret: key(0x22, 32), Name: "nolabel", Issuer: "Shop", Digits: 7, Type: migration.TOTP},
	}, Version: 1, BatchSize: 2, BatchIndex: 1, BatchID: 77}
	return [2]string{migrationtest.URI(migrationtest.Encode(first)), migrationtest.URI(migrationtest.Encode(second))}
}

var googleWants = []want{
	{"shop@example.jp", "Amazon", "shop@example.jp", "MFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLB", otp.SHA1, 6, 30, nil},
	{"seller@example.de", "Amazon", "seller@example.de", "GEYTCMJRGEYTCMJRGEYTCMJRGEYTCMJR", otp.SHA256, 8, 30, nil},
	{name: "counter", err: otp.ErrHOTP},
	{name: "md5@example.com", err: otp.ErrInvalidAlgorithm},
	{name: "nolabel", err: otp.ErrInvalidDigits},
}

func TestParseGoogle(t *testing.T) {
	uris := googlePayloads()
	res, err := Parse([]byte(uris[0] + "\n" + uris[1] + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatGoogle {
		t.Errorf("format %q", res.Format)
	}
	check(t, res.Entries, googleWants)
	if res.Entries[3].Where != "line 2, account 2" {
		t.Errorf("where = %q", res.Entries[3].Where)
	}
}

func TestParseImages(t *testing.T) {
	uris := googlePayloads()
	for name, enc := range map[string]func(*bytes.Buffer, string) error{
		"png":  func(b *bytes.Buffer, s string) error { return qr.PNG(b, s) },
		"jpeg": func(b *bytes.Buffer, s string) error { return qr.JPEG(b, s) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := enc(&b, uris[0]); err != nil {
				t.Fatal(err)
			}
			res, err := Parse(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != "QR image ("+FormatGoogle+")" {
				t.Errorf("format %q", res.Format)
			}
			check(t, res.Entries, googleWants[:2])

			b.Reset()
			enc(&b, "otpauth://totp/Amazon:shop%40example.jp?secret="+shopSecret+"&issuer=Amazon")
			res, err = Parse(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			check(t, res.Entries, []want{shop})
		})
	}
}

func TestParseByteOrderMark(t *testing.T) {
	for _, name := range []string{"aegis.json", "uris.txt"} {
		res, err := Parse(append([]byte("\xef\xbb\xbf"), readFile(t, name)...))
		if err != nil || len(res.Entries) != 4 {
			t.Errorf("%s with a BOM: %v", name, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	var noQR, link, truncated bytes.Buffer
	png.Encode(&noQR, image.NewGray(image.Rect(0, 0, 100, 100)))
	qr.PNG(&link, "https://www.amazon.co.jp/a/settings/approval")
	qr.PNG(&truncated, "otpauth://totp/x?secret="+shopSecret)
	good := googlePayloads()[0]
	for _, tc := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", []byte("  \n"), ErrUnknownFormat, "the file is empty"},
		{"prose", []byte("my codes:\notpauth://totp/x?secret=" + shopSecret), ErrUnknownFormat, "line 1 is not an otpauth:// URI"},
		{"comments only", []byte("# nothing\n"), ErrUnknownFormat, "holds no account"},
		{"bad json", []byte(`{"db": `), ErrUnknownFormat, "not a valid JSON object"},
		{"other json", []byte(`{"accounts": [1, 2]}`), ErrUnknownFormat, "neither an Aegis, a 2FAS nor an Authenticator"},
		{"aegis wrong shape", []byte(`{"header": {}, "db": {"entries": 5}}`), ErrUnknownFormat, `Aegis export: unknown file format: its db: "entries" is a JSON number`},
		{"aegis empty", []byte(`{"header": {}, "db": {"entries": []}}`), ErrUnknownFormat, "holds no account"},
		{"2fas wrong shape", []byte(`{"schemaVersion": 4, "services": {"x": 1}}`), ErrUnknownFormat, "2FAS backup"},
		{"aegis encrypted", readFile(t, "aegis-encrypted.json"), ErrEncrypted, "encryption turned off"},
		{"2fas encrypted", readFile(t, "2fas-encrypted.2fas"), ErrEncrypted, "without a password"},
		{"authenticator encrypted", readFile(t, "authenticator-encrypted.json"), ErrEncrypted, "remove the password"},
		{"broken protobuf", []byte(good[:len(good)-12] + "\n"), migration.ErrInvalid, "line 1: invalid Google Authenticator export"},
		{"not base64", []byte("otpauth-migration://offline?data=%%%%\n"), migration.ErrInvalid, "line 1"},
		{"image without a code", noQR.Bytes(), qr.ErrNoQR, "no QR code"},
		{"code holding a link", link.Bytes(), ErrNotOTP, "it holds a https: link"},
		{"truncated image", truncated.Bytes()[:truncated.Len()/3], qr.ErrUnreadableImage, "cannot be read"},
		{"too large", make([]byte, MaxFile+1), ErrTooLarge, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.want, tc.msg)
			}
			if err != nil && strings.Contains(strings.ToUpper(err.Error()), shopSecret[:16]) {
				t.Error("the error quotes the secret")
			}
		})
	}
}

func TestSingle(t *testing.T) {
	one := migrationtest.URI(migrationtest.Encode(migration.Payload{OTP: []migration.Parameters{
		{Secret: key(0x61, 20), Name: "Amazon:shop@example.jp", Type: migration.TOTP},
	}}))
	a, err := Single(one)
	if err != nil || a.Name != "shop@example.jp" || a.Issuer != "Amazon" || a.Secret.Base32() != "MFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLB" {
		t.Errorf("got %+v, %v", a, err)
	}
	a, err = Single("otpauth://totp/Amazon:x?secret=" + shopSecret)
	if err != nil || a.Name != "x" {
		t.Errorf("got %+v, %v", a, err)
	}
	for _, tc := range []struct {
		text string
		want error
		msg  string
	}{
		{googlePayloads()[0], migration.ErrInvalid, "it holds 2 accounts"},
		{"otpauth://hotp/x?secret=" + shopSecret, otp.ErrHOTP, "HOTP"},
		{"https://example.com/?secret=" + shopSecret, ErrNotOTP, "a https: link"},
		{shopSecret, ErrNotOTP, "32 characters of other text"},
		{"WIFI:S:home;T:WPA;P:pass;;", ErrNotOTP, "a wifi: link"},
	} {
		_, err := Single(tc.text)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%.20s…: got %v, want %v with %q", tc.text, err, tc.want, tc.msg)
		}
	}
}

func account(t *testing.T, name, secret string) otp.Account {
	s, err := otp.ParseSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	return otp.Account{Name: name, Issuer: "Amazon", Label: name, Secret: s, Algorithm: otp.SHA1, Digits: 6, Period: 30}
}

func unlabelled(a otp.Account) otp.Account {
	a.Label = ""
	return a
}

func TestPlan(t *testing.T) {
	vault := []otp.Account{
		account(t, "shop@example.jp", "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"),
		account(t, "kept", shopSecret),
		account(t, "x-2", "NZUWIYLOEBUXGIDBEBTG653SEB2GK43U"),
	}
	entries := []Entry{
		{Account: account(t, "shop@example.jp", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")}, // clash: renamed
		{Account: account(t, "again", shopSecret)},                                   // already in the vault as "kept"
		{Account: account(t, "x", "ONSWG4TFOQQGC3DPONSWG4TFOQQGC3DP")},
		{Account: account(t, "x", "OBQXG43XN5ZGIMJSGM2DKNRXHA4TAMJS")},    // clashes with the one above and with x-2
		{Account: account(t, "twin", "ONSWG4TFOQQGC3DPONSWG4TFOQQGC3DP")}, // same secret as the first x
		{Account: otp.Account{Name: "counter"}, Err: otp.ErrHOTP},
		{Account: unlabelled(account(t, "\x1b[31m--"+strings.Repeat("long", 20), "MJQXGZJTGIQGC3DMEBTG64RAORSXG5DT"))},
		{Account: unlabelled(account(t, "\x00", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"))},
	}
	plan := Plan(vault, entries)
	wants := []struct {
		name, dup string
		added     bool
	}{
		{"shop@example.jp-2", "", true},
		{"", "kept", false},
		{"x", "", true},
		{"x-3", "", true},
		{"", "x", false},
		{"", "", false},
		{"[31m--" + strings.Repeat("long", 15)[:58], "", true},
		{"imported", "", true},
	}
	for i, w := range wants {
		p := plan[i]
		if p.Name != w.name || p.Duplicate != w.dup || p.Added() != w.added {
			t.Errorf("entry %d: got name %q dup %q added %v, want %+v", i+1, p.Name, p.Duplicate, p.Added(), w)
		}
	}
	if !plan[0].Renamed() || plan[2].Renamed() {
		t.Error("Renamed is wrong")
	}
	as := Accounts(plan)
	if len(as) != 5 {
		t.Fatalf("%d accounts to add", len(as))
	}
	for _, a := range as {
		if err := a.Validate(); err != nil {
			t.Errorf("%q: %v", a.Name, err)
		}
	}
	again := Plan(vault, entries)
	for i := range plan {
		if plan[i].Name != again[i].Name {
			t.Errorf("plan is not deterministic at %d", i)
		}
	}
}

// FuzzParse feeds the importers arbitrary files: no panic, and every entry
// it accepts is a valid account once named.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"aegis.json", "aegis-encrypted.json", "2fas.2fas", "2fas-encrypted.2fas", "authenticator.json", "authenticator-encrypted.json", "uris.txt"} {
		f.Add(readFile(f, name))
	}
	uris := googlePayloads()
	f.Add([]byte(uris[0] + "\n" + uris[1]))
	f.Add([]byte(`{"x": {"secret": 5}}`))
	f.Add([]byte(`{"header": {}, "db": {"entries": [{"type": "totp", "info": {"secret": "` + shopSecret + `", "digits": -1}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err != nil {
			return
		}
		for _, p := range Plan(nil, res.Entries) {
			if !p.Added() {
				continue
			}
			a := p.Account
			a.Name = p.Name
			if err := a.Validate(); err != nil {
				t.Fatalf("%s: accepted an invalid account: %v", p.Where, err)
			}
		}
	})
}

// TestNidanURIRoundTrip: what `nidan export --uris` prints imports back as
// the same accounts, name, bindings and phone flag included.
func TestNidanURIRoundTrip(t *testing.T) {
	s1, _ := otp.ParseSecret(shopSecret)
	s2, _ := otp.ParseSecret(sellerSecret)
	want := []otp.Account{
		{Name: "shop jp", Issuer: "Amazon", Label: "shop@example.jp", Marketplaces: []string{"jp"}, Secret: s1, Algorithm: otp.SHA1, Digits: 6, Period: 30, PhoneBackup: true},
		{Name: "seller&co=1", Issuer: "", Label: "", Marketplaces: []string{"uk", "de"}, Secret: s2, Algorithm: otp.SHA512, Digits: 8, Period: 60},
	}
	var text strings.Builder
	for _, a := range want {
		text.WriteString(NidanURI(a) + "\n")
	}
	res, err := Parse([]byte(text.String()))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range res.Entries {
		if e.Err != nil {
			t.Fatal(e.Err)
		}
		g, w := e.Account, want[i]
		if !g.Secret.Equal(w.Secret) {
			t.Errorf("%d: secret differs", i)
		}
		g.Secret, w.Secret = otp.Secret{}, otp.Secret{}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%d: got %+v, want %+v", i, g, w)
		}
	}
	res, err = Parse([]byte("otpauth://totp/x?secret=" + shopSecret + "&nidan-marketplaces=jp,xx\n"))
	if err != nil || res.Entries[0].Err == nil || !strings.Contains(res.Entries[0].Err.Error(), `unknown marketplace "xx"`) {
		t.Errorf("got %v, %+v", err, res.Entries)
	}
}
