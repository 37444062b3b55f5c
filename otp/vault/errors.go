package vault

import (
	"errors"
	"fmt"
	"strings"

	"nidan.dev/nidan/otp/private"
)

// Errors matched with errors.Is. The CLI turns each into a one-line message
// and a hint; the host into a protocol error code.
var (
	ErrMissing        = errors.New("there is no vault yet")
	ErrExists         = errors.New("a vault already exists")
	ErrNoIdentity     = errors.New("the identity file is missing")
	ErrBadIdentity    = errors.New("the identity file holds no valid age identity")
	ErrWrongIdentity  = errors.New("the identity does not open the vault")
	ErrCorrupt        = errors.New("the vault is damaged")
	ErrLocked         = errors.New("another nidan is writing the vault")
	ErrUnknownAccount = errors.New("no such account")
	ErrDuplicate      = errors.New("an account of that name already exists")
	ErrDuplicateKey   = errors.New("an account with that secret already exists")
	ErrNoAccount      = errors.New("no account is bound to this host")
	ErrAmbiguous      = errors.New("several accounts are bound to this host")
)

// PermissionError reports a vault or identity file that others may read
// (its mode on Unix, its DACL on Windows). Like ssh with a private key,
// nidan refuses to use it; Fix is the command that makes it private.
type PermissionError = private.Error

// AmbiguousError lists the accounts a code request could mean.
type AmbiguousError struct{ Candidates []string }

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%v: %s", ErrAmbiguous, strings.Join(e.Candidates, ", "))
}

func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

// AccountError names the account an error is about.
type AccountError struct {
	Name string
	Err  error
}

func (e *AccountError) Error() string { return fmt.Sprintf("%q: %v", e.Name, e.Err) }
func (e *AccountError) Unwrap() error { return e.Err }

// NotDeviceError reports a shared vault that this PC's identity does not
// open: the PC joined (or was removed) and is not among the vault's devices.
type NotDeviceError struct {
	PublicKey string // this PC's, for `nidan devices add`
	Vault     string
}

func (e *NotDeviceError) Error() string {
	return fmt.Sprintf("this PC is not a device of the vault %s yet: its key %s does not open it", e.Vault, e.PublicKey)
}

// AddCommand is what to run on a PC where the vault opens.
func (e *NotDeviceError) AddCommand() string {
	return "nidan devices add " + e.PublicKey + " --name NAME-OF-THIS-PC"
}

func (e *NotDeviceError) Unwrap() error { return ErrWrongIdentity }
