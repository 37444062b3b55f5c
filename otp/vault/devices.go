package vault

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"filippo.io/age"
)

// Errors of the device list.
var (
	ErrUnknownDevice = errors.New("no such device")
	ErrDeviceExists  = errors.New("that device is already in the vault")
	ErrRemoveSelf    = errors.New("this PC's own key cannot be removed here")
	ErrBadDevice     = errors.New("invalid device")
)

// maxDeviceName bounds a device's name, one line of printable text.
const maxDeviceName = 64

// Devices returns the PCs whose identities open the vault, by name.
func (r *Reader) Devices() ([]Device, error) {
	c, err := r.p.contents()
	if err != nil {
		return nil, err
	}
	devs := make([]Device, len(c.devices))
	for i, d := range c.devices {
		devs[i] = d.Device
	}
	slices.SortFunc(devs, func(a, b Device) int { return strings.Compare(a.Name, b.Name) })
	return devs, nil
}

// AddDevice adds a PC by its public key (age1…, printed by its `nidan
// init`) and re-encrypts the vault to it.
func (s Store) AddDevice(name, key string) error {
	if err := checkDeviceName(name); err != nil {
		return err
	}
	if _, err := age.ParseX25519Recipient(key); err != nil {
		return fmt.Errorf("%w: %q is not an age public key (age1…): %v", ErrBadDevice, shortKey(key), err)
	}
	return s.update(func(c *contents, now int64) error {
		for _, d := range c.devices {
			if d.Name == name {
				return fmt.Errorf("%w: %q", ErrDeviceExists, name)
			}
			if d.Recipient == key {
				return fmt.Errorf("%w: that key is device %q", ErrDeviceExists, d.Name)
			}
		}
		c.gone = slices.DeleteFunc(c.gone, func(t tombstone) bool { return t.kind == goneDevice && t.name == name })
		c.devices = append(c.devices, deviceEntry{Device{Name: name, Recipient: key, Added: time.UnixMilli(now)}, now})
		return nil
	})
}

// RemoveDevice removes a PC and re-encrypts the vault and its backup
// without it. What the PC already read it keeps: its user must assume the
// seeds are known.
func (s Store) RemoveDevice(name string) (Device, error) {
	var removed Device
	err := s.update(func(c *contents, now int64) error {
		self := selfKeys(s)
		for i, d := range c.devices {
			if d.Name != name {
				continue
			}
			if self[d.Recipient] {
				return fmt.Errorf("%w: %q is this PC", ErrRemoveSelf, name)
			}
			removed = d.Device
			c.devices = slices.Delete(c.devices, i, i+1)
			c.gone = append(c.gone, tombstone{kind: goneDevice, name: name, deleted: max(now, d.modified+1)})
			return nil
		}
		return fmt.Errorf("%w: %q", ErrUnknownDevice, name)
	})
	if err != nil {
		return Device{}, err
	}
	// A second write turns vault.age.bak, which still opened with the
	// removed key, into the vault just written.
	return removed, s.update(func(*contents, int64) error { return nil })
}

func selfKeys(s Store) map[string]bool {
	keys := map[string]bool{}
	ids, _ := s.identities()
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			keys[x.Recipient().String()] = true
		}
	}
	return keys
}

func checkDeviceName(name string) error {
	if name == "" || len(name) > maxDeviceName || strings.TrimSpace(name) != name ||
		strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return fmt.Errorf("%w: the name %q must be one line of at most %d printable characters", ErrBadDevice, name, maxDeviceName)
	}
	return nil
}

func shortKey(k string) string {
	if len(k) > 20 {
		return k[:12] + "…"
	}
	return k
}

// addSelf lists this PC among the devices when it is not yet: every PC
// that writes must stay a recipient of what the others write.
func (c *contents) addSelf(ids []age.Identity, now int64) {
	for _, id := range ids {
		x, ok := id.(*age.X25519Identity)
		if !ok {
			continue
		}
		pub := x.Recipient().String()
		if slices.ContainsFunc(c.devices, func(d deviceEntry) bool { return d.Recipient == pub }) {
			return
		}
		name, err := os.Hostname()
		if err != nil || checkDeviceName(name) != nil {
			name = "pc"
		}
		if slices.ContainsFunc(c.devices, func(d deviceEntry) bool { return d.Name == name }) {
			name += "-" + pub[5:13]
		}
		c.devices = append(c.devices, deviceEntry{Device{Name: name, Recipient: pub, Added: time.UnixMilli(now)}, now})
		return
	}
}
