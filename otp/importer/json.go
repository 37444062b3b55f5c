package importer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"nidan.dev/nidan/otp"
)

// parseJSON recognises a JSON export by its top-level keys.
func parseJSON(data []byte) (Result, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return Result{}, fmt.Errorf("%w: the file starts like JSON but is not a valid JSON object", ErrUnknownFormat)
	}
	_, hasDB := top["db"]
	_, hasHeader := top["header"]
	_, hasServices := top["services"]
	_, hasSchema := top["schemaVersion"]
	var res Result
	var err error
	switch {
	case hasDB && hasHeader:
		res.Format = FormatAegis
		res.Entries, err = parseAegis(top)
	case hasServices && hasSchema:
		res.Format = Format2FAS
		res.Entries, err = parse2FAS(top)
	case looksLikeAuthenticator(top):
		res.Format = FormatAuthenticator
		res.Entries, err = parseAuthenticator(top)
	default:
		return Result{}, fmt.Errorf("%w: a JSON file that is neither an Aegis, a 2FAS nor an Authenticator extension export", ErrUnknownFormat)
	}
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", res.Format, err)
	}
	if len(res.Entries) == 0 {
		return Result{}, fmt.Errorf("%s: %w: it holds no account", res.Format, ErrUnknownFormat)
	}
	return res, nil
}

// jsonError describes a JSON mismatch without quoting the value, which may
// be a secret.
func jsonError(what string, err error) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Errorf("%w: %s: %q is a JSON %s, expected %s", ErrUnknownFormat, what, te.Field, te.Value, te.Type)
	}
	return fmt.Errorf("%w: %s is not what the format describes", ErrUnknownFormat, what)
}

// algorithm reads an algorithm name as exports write it ("SHA1", "sha-256").
func algorithm(name string) otp.Algorithm {
	if name == "" {
		return otp.SHA1
	}
	return otp.Algorithm(strings.ToUpper(strings.ReplaceAll(name, "-", "")))
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// entry builds an entry from the fields every JSON export has; typ is the
// export's type name, lowercased.
func entry(where, typ, issuer, label, secret, alg string, digits, period int) Entry {
	e := Entry{Where: where}
	e.Account.Issuer, e.Account.Label = splitLabel(strings.TrimSpace(issuer), label)
	e.Account.Name = defaultName(e.Account)
	switch typ {
	case "", "totp":
	case "hotp":
		e.Err = otp.ErrHOTP
		return e
	default:
		e.Err = fmt.Errorf("%w: %q (only TOTP)", ErrUnsupported, typ)
		return e
	}
	return complete(e, secret, algorithm(alg), orDefault(digits, otp.DefaultDigits), orDefault(period, otp.DefaultPeriod))
}

// Aegis: {"version":1,"header":{"slots":null,"params":null},"db":{"version":2,
// "entries":[{"type":"totp","name":…,"issuer":…,"info":{"secret","algo","digits","period"}}]}}.
// An encrypted vault has slots and a base64 string as db.
func parseAegis(top map[string]json.RawMessage) ([]Entry, error) {
	var db struct {
		Entries []struct {
			Type   string `json:"type"`
			Name   string `json:"name"`
			Issuer string `json:"issuer"`
			Info   struct {
				Secret string `json:"secret"`
				Algo   string `json:"algo"`
				Digits int    `json:"digits"`
				Period int    `json:"period"`
			} `json:"info"`
		} `json:"entries"`
	}
	if s := strings.TrimSpace(string(top["db"])); strings.HasPrefix(s, `"`) {
		return nil, fmt.Errorf("%w: export it again from Aegis with encryption turned off (Settings → Import & Export → Export, plain JSON), import, then delete that file", ErrEncrypted)
	}
	if err := json.Unmarshal(top["db"], &db); err != nil {
		return nil, jsonError("its db", err)
	}
	var out []Entry
	for i, e := range db.Entries {
		out = append(out, entry(fmt.Sprintf("entry %d", i+1), strings.ToLower(e.Type), e.Issuer, e.Name, e.Info.Secret, e.Info.Algo, e.Info.Digits, e.Info.Period))
	}
	return out, nil
}

// 2FAS: {"services":[{"name":…,"secret":…,"otp":{"label","account","issuer",
// "digits","period","algorithm","tokenType"}}],"schemaVersion":4,…}. An
// encrypted backup has "servicesEncrypted" and no services.
func parse2FAS(top map[string]json.RawMessage) ([]Entry, error) {
	if _, ok := top["servicesEncrypted"]; ok {
		return nil, fmt.Errorf("%w: export it again from 2FAS without a password (Settings → 2FAS Backup → Export), import, then delete that file", ErrEncrypted)
	}
	var services []struct {
		Name   string `json:"name"`
		Secret string `json:"secret"`
		OTP    struct {
			Label     string `json:"label"`
			Account   string `json:"account"`
			Issuer    string `json:"issuer"`
			Digits    int    `json:"digits"`
			Period    int    `json:"period"`
			Algorithm string `json:"algorithm"`
			TokenType string `json:"tokenType"`
		} `json:"otp"`
	}
	if err := json.Unmarshal(top["services"], &services); err != nil {
		return nil, jsonError("its services", err)
	}
	var out []Entry
	for i, s := range services {
		issuer := s.OTP.Issuer
		if issuer == "" {
			issuer = s.Name
		}
		label := s.OTP.Account
		if label == "" {
			label = s.OTP.Label
		}
		out = append(out, entry(fmt.Sprintf("entry %d", i+1), strings.ToLower(s.OTP.TokenType), issuer, label, s.Secret, s.OTP.Algorithm, s.OTP.Digits, s.OTP.Period))
	}
	return out, nil
}

// authenticatorEntry is one value of the Authenticator extension's export,
// an object keyed by each entry's hash: {"<hash>":{"type":"totp","issuer",
// "account","secret","encrypted":false,"period"?,"digits"?,"algorithm"?}}.
// Encrypted entries carry "encrypted":true or "dataType":"EncOTPStorage";
// the key material is stored beside them ("key", or "dataType":"Key").
type authenticatorEntry struct {
	Type      string          `json:"type"`
	Issuer    string          `json:"issuer"`
	Account   string          `json:"account"`
	Secret    *string         `json:"secret"`
	Encrypted bool            `json:"encrypted"`
	DataType  string          `json:"dataType"`
	Index     int             `json:"index"`
	Period    int             `json:"period"`
	Digits    int             `json:"digits"`
	Algorithm json.RawMessage `json:"algorithm"`
}

func looksLikeAuthenticator(top map[string]json.RawMessage) bool {
	for _, v := range top {
		var e authenticatorEntry
		if json.Unmarshal(v, &e) == nil && (e.Secret != nil || e.DataType == "EncOTPStorage") {
			return true
		}
	}
	return false
}

func parseAuthenticator(top map[string]json.RawMessage) ([]Entry, error) {
	type indexed struct {
		index int
		key   string
		e     Entry
	}
	var found []indexed
	for key, v := range top {
		var e authenticatorEntry
		if err := json.Unmarshal(v, &e); err != nil {
			continue // settings and key records are objects of other shapes
		}
		if e.DataType == "Key" || key == "key" || key == "UserSettings" {
			continue
		}
		if e.Encrypted || e.DataType == "EncOTPStorage" {
			return nil, fmt.Errorf("%w: remove the password in the extension's Security settings, export again, import, then delete that file", ErrEncrypted)
		}
		if e.Secret == nil {
			continue
		}
		found = append(found, indexed{e.Index, key, entry("", strings.ToLower(e.Type), e.Issuer, e.Account, *e.Secret, authenticatorAlgorithm(e.Algorithm), e.Digits, e.Period)})
	}
	// Map order is random; the extension's own order is by index.
	slices.SortFunc(found, func(a, b indexed) int {
		return cmp.Or(cmp.Compare(a.index, b.index), strings.Compare(a.key, b.key))
	})
	out := make([]Entry, len(found))
	for i, f := range found {
		out[i] = f.e
		out[i].Where = fmt.Sprintf("entry %d", i+1)
	}
	return out, nil
}

// authenticatorAlgorithm reads the extension's algorithm, which its exports
// write as a name ("SHA256") and older ones as its enum (1 SHA1, 2 SHA256,
// 3 SHA512).
func authenticatorAlgorithm(raw json.RawMessage) string {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		if n, err := strconv.Atoi(name); err == nil {
			return enumAlgorithm(n)
		}
		return name
	}
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return enumAlgorithm(n)
	}
	return ""
}

func enumAlgorithm(n int) string {
	switch n {
	case 0, 1:
		return "SHA1"
	case 2:
		return "SHA256"
	case 3:
		return "SHA512"
	}
	return "enum " + strconv.Itoa(n)
}
