package private

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"

	"nidan.dev/nidan/otp/internal/wine"
)

func currentUser() (string, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("finding the current user: %w", err)
	}
	return tu.User.Sid.String(), nil
}

// restrictDir gives dir the protected DACL of homeSDDL. Windows applies its
// inheritable entries to what dir holds already, as to what comes later.
func restrictDir(dir string) error {
	user, err := currentUser()
	if err != nil {
		return err
	}
	sd, err := windows.SecurityDescriptorFromString(homeSDDL(user))
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
}

// checkFile reads the DACL of the open file (its handle has READ_CONTROL:
// GENERIC_READ includes it).
func checkFile(f *os.File, _ fs.FileInfo) error {
	sd, err := windows.GetSecurityInfo(windows.Handle(f.Fd()), windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("reading the ACL of %s: %w", f.Name(), err)
	}
	user, err := currentUser()
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	present := err == nil && dacl != nil
	if err != nil && !errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND) {
		return fmt.Errorf("reading the ACL of %s: %w", f.Name(), err)
	}
	var aces []ace
	if present {
		if aces, err = entries(dacl); err != nil {
			return fmt.Errorf("reading the ACL of %s: %w", f.Name(), err)
		}
	}
	others := otherReaders(aces, present, user)
	if len(others) == 0 || wine.Running() {
		// Wine keeps no DACLs: it makes one up from the Unix mode (0644
		// reads as Everyone) and enforces none, so its verdict means
		// nothing. The Windows lane runs there; acl_test.go tests the
		// check itself.
		return nil
	}
	names := make([]string, len(others))
	for i, s := range others {
		names[i] = accountName(s)
	}
	return &Error{Path: f.Name(), Readers: names, fix: icaclsFix(f.Name(), user, others)}
}

// entries lists the DACL's entries of the types that share
// ACCESS_ALLOWED_ACE's layout; the others (object entries, for directory
// services) never appear on files.
func entries(dacl *windows.ACL) ([]ace, error) {
	var aces []ace
	for i := range uint32(dacl.AceCount) {
		var e *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &e); err != nil {
			return nil, err
		}
		const allowed, allowedCallback = 0, 9
		sid := (*windows.SID)(unsafe.Pointer(&e.SidStart))
		aces = append(aces, ace{
			allow:       e.Header.AceType == allowed || e.Header.AceType == allowedCallback,
			inheritOnly: e.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0,
			sid:         sid.String(),
			mask:        uint32(e.Mask),
		})
	}
	return aces, nil
}

// accountName is DOMAIN\name for a SID, or the SID when it does not resolve.
func accountName(s string) string {
	sid, err := windows.StringToSid(s)
	if err != nil {
		return s
	}
	account, domain, _, err := sid.LookupAccount("")
	switch {
	case err != nil:
		return s
	case domain != "":
		return domain + `\` + account
	}
	return account
}
