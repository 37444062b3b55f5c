package importer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
)

// Planned is what becomes of one entry when it meets a vault.
type Planned struct {
	Entry
	// Name is the name the account gets: its own, or with a suffix when
	// that is taken.
	Name string
	// Duplicate names the account, in the vault or earlier in the file,
	// that already holds this secret; the entry is then skipped.
	Duplicate string
}

// Added reports whether the entry is to be added.
func (p Planned) Added() bool { return p.Err == nil && p.Duplicate == "" }

// Backup reports whether the entry is added bound to no host: another
// service's account (otp.Account.Bound), kept as a backup that nidan never
// fills into an Amazon page.
func (p Planned) Backup() bool { return p.Added() && !p.Account.Bound() }

// Bind binds the entries whose issuer is Amazon to keys (import's
// --marketplace); no keys leaves the plan as it is. Another service's
// account keeps its own binding, none unless an export of nidan's carried
// one: "--marketplace jp" on a phone's export means its Amazon accounts,
// not its GitHub one.
func Bind(plan []Planned, keys []string) {
	if len(keys) == 0 {
		return
	}
	for i := range plan {
		if market.AmazonIssuer(plan[i].Account.Issuer) {
			plan[i].Account.Marketplaces = keys
		}
	}
}

// Renamed reports whether the entry gets another name than its own.
func (p Planned) Renamed() bool { return p.Added() && p.Name != p.Account.Name }

// Plan decides, for each entry, whether it is added and under which name.
// It is deterministic: the same vault and file always give the same plan.
// A secret already present is never added twice; a name already taken gets
// the first free suffix "-2", "-3"….
func Plan(vault []otp.Account, entries []Entry) []Planned {
	taken := map[string]bool{}
	var holders []otp.Account
	for _, a := range vault {
		taken[a.Name] = true
		holders = append(holders, a)
	}
	out := make([]Planned, len(entries))
	for i, e := range entries {
		p := Planned{Entry: e}
		out[i] = p
		if e.Err != nil {
			continue
		}
		for _, h := range holders {
			if h.Secret.Equal(e.Account.Secret) {
				p.Duplicate = h.Name
				break
			}
		}
		if p.Duplicate == "" {
			p.Name = freeName(cleanName(e.Account), taken)
			taken[p.Name] = true
			added := e.Account
			added.Name = p.Name
			holders = append(holders, added)
		}
		out[i] = p
	}
	return out
}

// Accounts returns the accounts a plan adds, under their planned names.
func Accounts(plan []Planned) []otp.Account {
	var as []otp.Account
	for _, p := range plan {
		if p.Added() {
			a := p.Account
			a.Name = p.Name
			as = append(as, a)
		}
	}
	return as
}

// fallbackName is used when an entry carries neither label nor issuer.
const fallbackName = "imported"

// maxName is otp.ValidateName's limit in characters.
const maxName = 64

// cleanName makes an exported label into a valid nidan name: control
// characters dropped, spaces and leading dashes trimmed, cut to 64
// characters.
func cleanName(a otp.Account) string {
	name := strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, a.Name)
	name = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(name), "-"))
	name = truncate(name, maxName)
	if otp.ValidateName(name) != nil {
		return fallbackName
	}
	return name
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

func freeName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	for i := 2; ; i++ {
		suffix := fmt.Sprintf("-%d", i)
		candidate := truncate(name, maxName-len(suffix)) + suffix
		if !taken[candidate] {
			return candidate
		}
	}
}
