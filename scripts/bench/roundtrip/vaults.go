package main

import (
	"fmt"
	"os"
	"path/filepath"

	"filippo.io/age"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/vault"
)

func makeVault(s vault.Store, n int) error {
	if _, err := s.Init(); err != nil {
		return err
	}
	sec, err := otp.ParseSecret(seed)
	if err != nil {
		return err
	}
	accounts := make([]otp.Account, n)
	for i := range accounts {
		accounts[i] = otp.Account{Name: fmt.Sprintf("seller-%05d", i), Issuer: "Amazon",
			Label: fmt.Sprintf("user%d@example.com", i), Marketplaces: markets[i%len(markets)],
			Secret: sec, Algorithm: otp.SHA1, Digits: 6, Period: 30}
	}
	return s.Update(func([]otp.Account) ([]otp.Account, error) { return accounts, nil })
}

// makeSharedVault makes a home whose 1-account vault lives in a separate
// folder (a Syncthing folder, by its marker) and opens with three devices'
// keys: this one and two others.
func makeSharedVault(home string) error {
	dir := filepath.Join(filepath.Dir(home), "Sync", "nidan")
	if err := os.MkdirAll(filepath.Join(filepath.Dir(dir), ".stfolder"), 0o700); err != nil {
		return err
	}
	s := vault.Store{Dir: home, VaultDir: dir}
	if err := makeVault(s, 1); err != nil {
		return err
	}
	for _, name := range []string{"laptop", "office"} {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return err
		}
		if err := s.AddDevice(name, id.Recipient().String()); err != nil {
			return err
		}
	}
	return nil
}
