package vault

// What version 2 added to the plaintext for several PCs: each account's
// modification time, the tombstones of removed accounts and devices, and the
// devices the vault is encrypted to. A lookup never reads them; a write
// reads them all to merge copies written apart (merge.go).

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"nidan.dev/nidan/otp"
)

// Device is a PC whose own identity opens the vault: an X25519 recipient
// with a name.
type Device struct {
	Name      string
	Recipient string // age1…
	Added     time.Time
}

// Tombstone kinds.
const (
	goneAccount = 'a'
	goneDevice  = 'd'
)

// tombstoneKeep is how long a removal is remembered: long enough to outlive
// a PC that was away for months, so that its older copy does not bring a
// removed account back.
const tombstoneKeep = 400 * 24 * time.Hour

// entry is an account with the time it was last added or changed, in Unix
// milliseconds (0 when unknown: written by version 1).
type entry struct {
	otp.Account
	modified int64
}

// tombstone remembers that kind/name was removed at deleted (Unix ms).
type tombstone struct {
	kind    byte
	name    string
	deleted int64
}

// contents is a whole plaintext.
type contents struct {
	accounts []entry
	gone     []tombstone
	devices  []deviceEntry
}

type deviceEntry struct {
	Device
	modified int64
}

func (c contents) plainAccounts() []otp.Account {
	as := make([]otp.Account, len(c.accounts))
	for i, e := range c.accounts {
		as[i] = e.Account
	}
	return as
}

func (c contents) encodeTombstones() []byte {
	gone := slices.Clone(c.gone)
	slices.SortFunc(gone, func(a, b tombstone) int {
		return cmpOr(int(a.kind)-int(b.kind), strings.Compare(a.name, b.name))
	})
	var b bytes.Buffer
	for _, t := range gone {
		b.WriteByte(t.kind)
		b.WriteByte('\t')
		escaper.WriteString(&b, t.name)
		fmt.Fprintf(&b, "\t%d\n", t.deleted)
	}
	return b.Bytes()
}

func (c contents) encodeDevices() []byte {
	devs := slices.Clone(c.devices)
	slices.SortFunc(devs, func(a, b deviceEntry) int { return strings.Compare(a.Name, b.Name) })
	var b bytes.Buffer
	for _, d := range devs {
		escaper.WriteString(&b, d.Name)
		b.WriteByte('\t')
		escaper.WriteString(&b, d.Recipient)
		fmt.Fprintf(&b, "\t%d\n", d.modified)
	}
	return b.Bytes()
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// contents parses the whole plaintext.
func (p *plaintext) contents() (contents, error) {
	var c contents
	recs, err := p.read(p.records, p.hdr.RecordBytes)
	if err != nil {
		return c, err
	}
	for line := range bytes.Lines(recs) {
		e, err := p.parseEntry(line)
		if err != nil {
			return c, err
		}
		c.accounts = append(c.accounts, e)
	}
	if len(c.accounts) != p.hdr.Accounts {
		return c, corrupt("the header counts %d accounts, the records hold %d", p.hdr.Accounts, len(c.accounts))
	}
	tombs, err := p.read(p.tombs, p.hdr.TombstoneBytes)
	if err != nil {
		return c, err
	}
	for line := range bytes.Lines(tombs) {
		f, err := fields(line, 3)
		if err != nil || len(f[0]) != 1 {
			return c, corrupt("a tombstone is damaged")
		}
		at, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return c, corrupt("a tombstone's time is damaged")
		}
		c.gone = append(c.gone, tombstone{kind: f[0][0], name: f[1], deleted: at})
	}
	devs, err := p.read(p.devices, p.hdr.DeviceBytes)
	if err != nil {
		return c, err
	}
	for line := range bytes.Lines(devs) {
		f, err := fields(line, 3)
		if err != nil {
			return c, corrupt("a device is damaged")
		}
		at, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return c, corrupt("a device's time is damaged")
		}
		c.devices = append(c.devices, deviceEntry{Device{Name: f[0], Recipient: f[1], Added: time.UnixMilli(at)}, at})
	}
	return c, nil
}

// fields splits a terminated, tab-separated line of n escaped fields.
func fields(line []byte, n int) ([]string, error) {
	s, ok := strings.CutSuffix(string(line), "\n")
	if !ok {
		return nil, errors.New("unterminated line")
	}
	f := strings.Split(s, "\t")
	if len(f) != n {
		return nil, errors.New("wrong number of fields")
	}
	for i := range f {
		var err error
		if f[i], err = unescape(f[i]); err != nil {
			return nil, err
		}
	}
	return f, nil
}

var escaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

func unescape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i++; i == len(s) {
			return "", errors.New("a field ends in a lone backslash")
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return b.String(), nil
}
