package main

import (
	"fmt"
	"os"

	rpmutils "github.com/sassoftware/go-rpmutils"
)

// expandRPM unpacks an .rpm's files into dest, for the release lane's checks
// on machines without rpm2cpio; it reads the package with the library nfpm
// itself tests its rpms with.
func expandRPM(file, dest string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("rpm: %w", err)
	}
	defer f.Close()
	r, err := rpmutils.ReadRpm(f)
	if err != nil {
		return fmt.Errorf("rpm %s: %w", file, err)
	}
	if err := r.ExpandPayload(dest); err != nil {
		return fmt.Errorf("rpm %s: unpack: %w", file, err)
	}
	return nil
}
