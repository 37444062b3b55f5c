package private

import (
	"fmt"
	"slices"
	"strings"
)

// The pure half of the Windows code, tested on every platform: the DACL
// init gives the home, and which entries of a file's DACL let someone else
// read it.

// Well-known SIDs: they read the same in every Windows language, where
// account names ("Administrators", "SYSTEM") may not.
const (
	sidSystem         = "S-1-5-18"
	sidAdministrators = "S-1-5-32-544"
	sidOwnerRights    = "S-1-3-4"
	sidEveryone       = "S-1-1-0"
)

// homeSDDL is the home's DACL: full control for the user, SYSTEM and
// Administrators (who can read any file anyway), inherited by every file
// and folder made inside (OICI), and protected (P): nothing is inherited
// from the parent folder.
func homeSDDL(user string) string {
	return "D:P(A;OICI;FA;;;" + user + ")(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
}

// ace is one entry of a DACL, as much of it as the check needs.
type ace struct {
	allow       bool // an access-allowed entry (denials grant nothing)
	inheritOnly bool // applies to children only, not to the file itself
	sid         string
	mask        uint32
}

// Access rights that let their holder read the file, directly or by
// granting it to themselves.
const (
	fileReadData = 0x1
	writeDAC     = 0x40000
	writeOwner   = 0x80000
	genericAll   = 0x10000000
	genericRead  = 0x80000000
	readingMask  = fileReadData | writeDAC | writeOwner | genericAll | genericRead
)

// otherReaders returns the SIDs other than the user, SYSTEM and
// Administrators that entries of the DACL let read the file, each once. A
// missing DACL (nil) lets everyone do everything.
func otherReaders(dacl []ace, present bool, user string) []string {
	if !present {
		return []string{sidEveryone}
	}
	trusted := []string{user, sidSystem, sidAdministrators, sidOwnerRights}
	var others []string
	for _, e := range dacl {
		if !e.allow || e.inheritOnly || e.mask&readingMask == 0 ||
			slices.Contains(trusted, e.sid) || slices.Contains(others, e.sid) {
			continue
		}
		others = append(others, e.sid)
	}
	return others
}

// icaclsFix is the command that gives path the home's DACL (without the
// inheritance flags, which a file has no use for) and removes the others'
// entries. SIDs rather than names (*S-1-…), for any Windows language.
func icaclsFix(path, user string, others []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `icacls "%s" /inheritance:r /grant:r *%s:F *%s:F *%s:F`, path, user, sidSystem, sidAdministrators)
	if len(others) > 0 {
		b.WriteString(" /remove:g")
		for _, sid := range others {
			b.WriteString(" *" + sid)
		}
	}
	return b.String()
}
