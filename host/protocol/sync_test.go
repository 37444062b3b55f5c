package protocol

import (
	"fmt"
	"strings"
	"testing"

	"nidan.dev/nidan/otp/vault"
)

// A PC that joined a shared vault and was not added yet: the popup says what
// to run, not a bare decryption error.
func TestNotDeviceError(t *testing.T) {
	err := fmt.Errorf("opening: %w", &vault.NotDeviceError{PublicKey: "age1xyz", Vault: "/s/vault.age"})
	e := vaultError(err)
	if e.Code != codeVaultUnreadable || !strings.Contains(e.Message, "nidan devices add age1xyz --name") {
		t.Errorf("got %+v", e)
	}
}
