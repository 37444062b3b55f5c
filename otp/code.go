package otp

import (
	"fmt"
	"time"

	potp "github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

var algorithms = map[Algorithm]potp.Algorithm{
	SHA1:   potp.AlgorithmSHA1,
	SHA256: potp.AlgorithmSHA256,
	SHA512: potp.AlgorithmSHA512,
}

// Code returns the account's TOTP code at t (RFC 6238).
func (a Account) Code(t time.Time) (string, error) {
	if err := a.Validate(); err != nil {
		return "", err
	}
	code, err := totp.GenerateCodeCustom(a.Secret.b32, t, totp.ValidateOpts{
		Period:    uint(a.Period),
		Digits:    potp.Digits(a.Digits),
		Algorithm: algorithms[a.Algorithm],
	})
	if err != nil {
		// pquerna/otp's errors name no secret, but drop them anyway: the
		// secret was validated, so this is a defect, not bad input.
		return "", fmt.Errorf("generating the code of %q failed", a.Name)
	}
	return code, nil
}

// Remaining returns the whole seconds left in the period that holds t, from
// Period (the step just began) down to 1.
func (a Account) Remaining(t time.Time) int {
	p := int64(a.Period)
	if p <= 0 {
		return 0
	}
	return int(p - t.Unix()%p)
}
