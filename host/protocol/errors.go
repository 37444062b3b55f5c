package protocol

import (
	"errors"
	"fmt"
	"strings"

	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

// Error codes of protocol v1. PROTOCOL.md lists them; the list is
// append-only: a published code keeps its meaning forever.
const (
	codeBadRequest      = "bad_request"
	codeUnknownType     = "unknown_type"
	codeTooLarge        = "too_large"
	codeForbiddenCaller = "forbidden_caller"
	codeForbiddenOrigin = "forbidden_origin"
	codeNoAccount       = "no_account"
	codeAmbiguous       = "ambiguous"
	codeVaultMissing    = "vault_missing"
	codeVaultUnreadable = "vault_unreadable"
	codeInternal        = "internal"
	// Enrolment (enroll.go).
	codeDuplicate      = "duplicate"
	codeBadSecret      = "bad_secret"
	codeNameRequired   = "name_required"
	codeBadName        = "bad_name"
	codeUnknownAccount = "unknown_account"
	codeVaultBusy      = "vault_busy"
	// Several PCs (issue 16).
	codeNotADevice = "not_a_device"
)

// Error is a failed request as the extension sees it. Message is for people
// and never holds a seed or a code: it is built from request fields, account
// names and the vault package's errors, none of which carry either.
type Error struct {
	Code       string
	Message    string
	Candidates []string // ambiguous only
	DeviceKey  string   // not_a_device only: this PC's public key, for `nidan devices add`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func badRequest(msg string) *Error { return &Error{Code: codeBadRequest, Message: msg} }

// vaultError maps an error of the vault package to its protocol error, with
// the hint the popup shows. Anything unforeseen is internal: the log holds
// the detail.
func vaultError(err error) *Error {
	var perm *vault.PermissionError
	var notDevice *vault.NotDeviceError
	switch {
	case errors.As(err, &notDevice):
		return &Error{Code: codeNotADevice, DeviceKey: notDevice.PublicKey, Message: fmt.Sprintf(
			"this PC is not yet one of the shared vault's devices; on a PC where the vault opens, run `%s`, then wait for the sync", notDevice.AddCommand())}
	case errors.Is(err, vault.ErrMissing):
		return &Error{Code: codeVaultMissing, Message: "there is no vault yet; run `nidan init`"}
	case errors.As(err, &perm):
		return &Error{Code: codeVaultUnreadable, Message: fmt.Sprintf("%v; run `%s`", err, perm.Fix())}
	case errors.Is(err, vault.ErrNoIdentity), errors.Is(err, vault.ErrBadIdentity),
		errors.Is(err, vault.ErrWrongIdentity), errors.Is(err, vault.ErrCorrupt):
		return &Error{Code: codeVaultUnreadable, Message: fmt.Sprintf("%v; run `nidan doctor`", err)}
	default:
		return &Error{Code: codeInternal, Message: "internal error; the host log in the nidan home says more"}
	}
}

// choiceError maps the errors of choosing an account for host. backups
// counts the accounts bound to no host: when an Amazon account hides among
// them (an odd issuer from a phone's export), the message says where it went.
func choiceError(host string, err error, backups int) error {
	var amb *vault.AmbiguousError
	switch {
	case errors.Is(err, vault.ErrNoAccount):
		keys := strings.Join(market.KeysOfHost(host), ",")
		msg := fmt.Sprintf("no account is bound to %s; bind one with `nidan edit NAME --marketplace %s`", host, keys)
		if backups > 0 {
			msg += fmt.Sprintf(" (%d account(s) whose issuer is not Amazon are kept as backups, bound to no host: `nidan list` shows them)", backups)
		}
		return &Error{Code: codeNoAccount, Message: msg}
	case errors.As(err, &amb):
		return &Error{Code: codeAmbiguous, Message: fmt.Sprintf("several accounts are bound to %s and none was chosen; pick one of the candidates", host), Candidates: amb.Candidates}
	default:
		return err
	}
}
