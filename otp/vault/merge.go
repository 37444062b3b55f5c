package vault

// Copies of the vault written apart, merged: when two PCs write while the
// sync tool cannot carry one's change to the other, the tool keeps both
// files, one under a conflict name. A writer merges every copy it can open
// into one vault and removes the copies; a reader sees the same union
// meanwhile.
//
// Per account (and per device) name: the newest live version and the newest
// tombstone are compared; the later wins, so an add on either side is never
// lost, a removal sticks against an older copy, and an edit wins by its
// time. Equal times (version 1 copies know none) keep the live account:
// losing an account is worse than seeing a removed one again.

import (
	"slices"
	"strconv"
	"strings"
)

// merge returns the union of copies, tombstones older than now-keep dropped.
func merge(now int64, copies ...contents) contents {
	type acc struct {
		live *entry
		gone *tombstone
	}
	accounts := map[string]*acc{}
	devices := map[string]*deviceEntry{}
	goneDevices := map[string]*tombstone{}
	for _, c := range copies {
		for i := range c.accounts {
			e := &c.accounts[i]
			a := accounts[e.Name]
			if a == nil {
				a = &acc{}
				accounts[e.Name] = a
			}
			if a.live == nil || newer(e, a.live) {
				a.live = e
			}
		}
		for i := range c.gone {
			t := &c.gone[i]
			switch t.kind {
			case goneAccount:
				a := accounts[t.name]
				if a == nil {
					a = &acc{}
					accounts[t.name] = a
				}
				if a.gone == nil || t.deleted > a.gone.deleted {
					a.gone = t
				}
			case goneDevice:
				if g := goneDevices[t.name]; g == nil || t.deleted > g.deleted {
					goneDevices[t.name] = t
				}
			}
		}
		for i := range c.devices {
			d := &c.devices[i]
			if old := devices[d.Name]; old == nil || d.modified > old.modified ||
				d.modified == old.modified && d.Recipient > old.Recipient {
				devices[d.Name] = d
			}
		}
	}
	var out contents
	keep := func(t *tombstone) {
		if now-t.deleted < tombstoneKeep.Milliseconds() {
			out.gone = append(out.gone, *t)
		}
	}
	for _, a := range accounts {
		switch {
		case a.live != nil && (a.gone == nil || a.live.modified >= a.gone.deleted):
			out.accounts = append(out.accounts, *a.live)
		case a.gone != nil:
			keep(a.gone)
		}
	}
	for name, d := range devices {
		if g := goneDevices[name]; g == nil || d.modified >= g.deleted {
			out.devices = append(out.devices, *d)
		}
	}
	for name, g := range goneDevices {
		if d := devices[name]; d == nil || d.modified < g.deleted {
			keep(g)
		}
	}
	slices.SortFunc(out.accounts, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// newer reports whether e should replace old: a later time, or at the same
// time a fixed choice (the larger record), so that every PC merging the
// same copies gets the same vault.
func newer(e, old *entry) bool {
	if e.modified != old.modified {
		return e.modified > old.modified
	}
	return recordKey(e) > recordKey(old)
}

func recordKey(e *entry) string {
	a := e.Account
	return strings.Join([]string{a.Issuer, a.Label, strings.Join(a.Marketplaces, ","), a.Secret.Base32(),
		string(a.Algorithm), strconv.Itoa(a.Digits), strconv.Itoa(a.Period), strconv.FormatBool(a.PhoneBackup)}, "\t")
}

// Conflict copies, by sync tool, of a file BASE.EXT (vault.age: base vault,
// ext .age; vault.age.bak: base vault.age, ext .bak):
//
//	Syncthing  BASE.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT
//	Dropbox    BASE (NAME's conflicted copy YYYY-MM-DD).EXT, localised
//	           ("BASE (NAMEの競合コピー YYYY-MM-DD).EXT"); Google Drive's
//	           "BASE (1).EXT" has the same shape
//	OneDrive   BASE-PCNAME.EXT (the PC's name appended)
//
// Matched by hand rather than with regexp: the host lists the folder on
// every start, and compiling patterns at init would cost every start too.
func isConflict(name, base, ext string) bool {
	mid, ok := strings.CutPrefix(name, base)
	if !ok {
		return false
	}
	if mid, ok = strings.CutSuffix(mid, ext); !ok {
		return false
	}
	if rest, ok := strings.CutPrefix(mid, ".sync-conflict-"); ok {
		// YYYYMMDD-HHMMSS-DEVICE
		return len(rest) > 16 && digits(rest[:8]) && rest[8] == '-' && digits(rest[9:15]) && rest[15] == '-' &&
			!strings.ContainsAny(rest[16:], "./\\ ")
	}
	if inner, ok := strings.CutPrefix(mid, " ("); ok {
		return len(inner) > 1 && strings.HasSuffix(inner, ")") && !strings.ContainsAny(inner, "/\\")
	}
	if pc, ok := strings.CutPrefix(mid, "-"); ok {
		return pc != "" && !strings.ContainsAny(pc[:1], "./\\ ") && !strings.ContainsAny(pc, "/\\")
	}
	return false
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// conflictCopies returns the names, among a folder's, of the vault's
// conflict copies and of its backup's.
func conflictCopies(names []string) (vaults, backups []string) {
	for _, n := range names {
		switch {
		case isConflict(n, "vault", ".age"):
			vaults = append(vaults, n)
		case isConflict(n, "vault.age", ".bak"):
			backups = append(backups, n)
		}
	}
	return vaults, backups
}
